package dev.portcullis.console.action;

import dev.portcullis.console.peer.PeerRefusedException;
import io.quarkus.oidc.OidcSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Step-up (RFC 9470) for the console's own session. When a peer asks for a stronger or more recent sign-in,
 * the operator follows a link to {@code /step-up}: the console drops its session (local logout) and sends the
 * browser to {@code /step-up/signed-in}, which, being protected, starts a new authorization-code flow;
 * {@link StepUpAuthorizationParameters} adds the challenge's {@code acr_values} and {@code max_age} to that
 * authorization request, so identity-service asks for the second factor (or a full sign-in) again. After the
 * callback the operator lands back on the page that asked for it.
 */
@Path("/step-up")
public class StepUpPage {

    /** What a requested acr may look like (space-separated values, OIDC Core §3.1.2.1). */
    static final Pattern ACR = Pattern.compile("[A-Za-z0-9:._-]{1,40}( [A-Za-z0-9:._-]{1,40}){0,4}");
    static final long MAX_AGE_LIMIT = 86_400;

    @Inject
    OidcSession session;

    /** The link the step-up page offers for a challenge. */
    static String link(StepUpRequiredException e) {
        StringBuilder link = new StringBuilder("/step-up?then=").append(encode(e.then()));
        if (e.acrValues() != null && ACR.matcher(e.acrValues()).matches()) {
            link.append("&acr=").append(encode(e.acrValues()));
        }
        if (e.maxAge() != null && e.maxAge() >= 0 && e.maxAge() <= MAX_AGE_LIMIT) {
            link.append("&max_age=").append(e.maxAge());
        }
        return link.toString();
    }

    @GET
    public Uni<Response> signInAgain(@QueryParam("then") String then, @QueryParam("acr") String acr, @QueryParam("max_age") String maxAge,
            @HeaderParam("Sec-Fetch-Site") String fetchSite) {
        if ("cross-site".equals(fetchSite)) {
            // another site may not sign the operator out of the console by linking here
            throw new PeerRefusedException(403, "Not from the console", "Signing in again starts from a console page. Nothing was changed.");
        }
        StringBuilder next = new StringBuilder("/step-up/signed-in?then=").append(encode(localPage(then)));
        if (acr != null && ACR.matcher(acr).matches()) {
            next.append("&acr=").append(encode(acr));
        }
        Long age = maxAge(maxAge);
        if (age != null) {
            next.append("&max_age=").append(age);
        }
        return session.logout().map(ignored -> Response.seeOther(URI.create(next.toString())).build());
    }

    /** Reached only through a fresh sign-in (the session was dropped just before): back to the page. */
    @GET
    @Path("signed-in")
    public Response signedIn(@QueryParam("then") String then) {
        return Response.seeOther(URI.create(localPage(then))).build();
    }

    /** A page of this console ({@code /...}, never {@code //host} or a scheme), else the portfolio. */
    static String localPage(String then) {
        if (then == null || !then.startsWith("/") || then.startsWith("//") || then.contains("\\") || then.length() > 500
                || then.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return "/";
        }
        return then;
    }

    static Long maxAge(String value) {
        if (value == null || !value.matches("\\d{1,6}")) {
            return null;
        }
        long age = Long.parseLong(value);
        return age <= MAX_AGE_LIMIT ? age : null;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
