package dev.portcullis.console.tenant;

import dev.portcullis.console.peer.PeerUnavailableException;
import dev.portcullis.console.form.FormToken;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /me}: the doors the signed-in person can open now (each with an Unlock button) and when the others open;
 * the unlock itself goes to command-service with the person's own token, exactly as an app's would. When the door
 * asks for a fresh sign-in (RFC 9470), the console ends its session and sends the person through a new authorization
 * with {@code prompt=login} and the challenge's {@code acr_values} / {@code max_age} ({@link StepUpRedirect}), then
 * offers the unlock again.
 */
@Path("/me")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class MyDoorsPage {

    static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{8,128}");
    static final Pattern ACR_VALUES = Pattern.compile("acr_values=\"([A-Za-z0-9:._ -]{1,100})\"");
    static final Pattern MAX_AGE = Pattern.compile("max_age=\"?([0-9]{1,9})\"?");

    @Inject
    TenantApi api;

    @Inject
    AccessTokenCredential token;

    @Inject
    FormToken forms;

    @Inject
    OidcSession session;

    @Inject
    @Location("tenant-doors.html")
    Template doors;

    @Inject
    @Location("tenant-step-up.html")
    Template stepUp;

    @Inject
    @Location("tenant-problem.html")
    Template problem;

    @GET
    public Uni<String> myDoors() {
        String form = forms.of(token.getToken());
        return api.myDoors(token).map(MyDoors::of).flatMap(mine -> doors.data("doors", mine).data("csrf", form).createUni());
    }

    /** The unlock button: one unlock per form (its Idempotency-Key), then the attempt's page. */
    @POST
    @Path("doors/{door}/unlock")
    public Uni<Response> unlock(@PathParam("door") String door, @FormParam(FormToken.FIELD) String csrfToken,
            @FormParam("unlockKey") String unlockKey) {
        forms.check(token.getToken(), csrfToken);
        UUID doorId = doorId(door);
        String key = unlockKey != null && KEY.matcher(unlockKey).matches() ? unlockKey : UUID.randomUUID().toString();
        return api.unlock(token, doorId, key).flatMap(answer -> {
            String attempt = answer.body().getString("actionAttemptId", answer.body().getString("id"));
            return switch (answer.status()) {
                case 200, 201, 202 -> Uni.createFrom().item(seeOther("/me/attempts/" + attempt));
                case 403 -> attempt != null ? Uni.createFrom().item(seeOther("/me/attempts/" + attempt))
                        : Uni.createFrom().item(page(403, "Not allowed", answer.body().getString("detail", "The unlock was refused.")));
                case 401 -> stepUp(doorId, answer.challenge());
                case 429 -> Uni.createFrom().item(page(429, "Too many unlocks",
                        "You sent too many unlocks in a short time. Wait a minute and try again."));
                case 404 -> throw new NotFoundException("command-service does not know door " + doorId);
                default -> throw new PeerUnavailableException("command-service", "command-service answered " + answer.status() + " to an unlock");
            };
        });
    }

    /** Where a step-up sign-in comes back to: the unlock offered again, with the fresh sign-in. */
    @GET
    @Path("step-up/doors/{door}")
    public Uni<String> afterStepUp(@PathParam("door") String door) {
        UUID doorId = doorId(door);
        String form = forms.of(token.getToken());
        return api.myDoors(token).flatMap(mine -> {
            String name = MyDoors.nameOf(mine, doorId.toString());
            if (name == null) {
                throw new NotFoundException("Not one of your doors: " + doorId);
            }
            return stepUp.data("doorId", doorId.toString()).data("door", name).data("unlockKey", UUID.randomUUID().toString())
                    .data("csrf", form).createUni();
        });
    }

    /**
     * RFC 9470: the door needs a stronger or more recent sign-in than the session's. The console session ends here (so
     * the next page needs a new authorization) and the browser goes to the step-up page, whose authorization request
     * asks identity-service for exactly what the challenge names.
     */
    private Uni<Response> stepUp(UUID door, String challenge) {
        StringBuilder target = new StringBuilder("/me/step-up/doors/").append(door).append("?step-up=1");
        if (challenge != null) {
            Matcher acr = ACR_VALUES.matcher(challenge);
            if (acr.find()) {
                target.append("&acr_values=").append(URLEncoder.encode(acr.group(1), StandardCharsets.UTF_8));
            }
            Matcher maxAge = MAX_AGE.matcher(challenge);
            if (maxAge.find()) {
                target.append("&max_age=").append(maxAge.group(1));
            }
        }
        return session.logout().replaceWith(seeOther(target.toString()));
    }

    private Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).render()).build();
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    static UUID doorId(String door) {
        try {
            return UUID.fromString(door);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No door " + door);
        }
    }
}
