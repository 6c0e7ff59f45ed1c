package dev.portcullis.console.tenant.guest;

import dev.portcullis.console.peer.PeerUnavailableException;
import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.tenant.MyDoors;
import dev.portcullis.console.tenant.TenantApi;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code /me/guest-codes}: the tenant's guest codes (device-registry's {@code /v1/me/guest-codes}, with the tenant's own
 * token): the list, a form to give a guest a time-bound code for one of the tenant's doors (the PIN is shown on the
 * answer page, once), and revoke. The registry decides (policy says whether the tenant may open the door then).
 */
@Path("/me/guest-codes")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class GuestCodesPage {

    /** How long a code can be valid, as the form offers it (the registry allows at most 7 days). */
    static final Map<String, Duration> VALIDITIES = Map.of("2h", Duration.ofHours(2), "1d", Duration.ofDays(1), "3d",
            Duration.ofDays(3), "7d", Duration.ofDays(7));

    @TemplateData
    public record Choice(String value, String label) {
    }

    static final List<Choice> CHOICES = List.of(new Choice("2h", "2 hours"), new Choice("1d", "1 day"), new Choice("3d", "3 days"),
            new Choice("7d", "7 days"));

    /** A code just created: its PIN, shown this once. */
    @TemplateData
    public record Created(String guestName, String door, String pin, String validUntil) {
    }

    @Inject
    TenantApi api;

    @Inject
    AccessTokenCredential token;

    @Inject
    FormToken forms;

    @Inject
    @Location("tenant-guest-codes.html")
    Template page;

    @GET
    public Uni<Response> list() {
        return render(200, null, null);
    }

    @POST
    public Uni<Response> create(@FormParam(FormToken.FIELD) String csrfToken, @FormParam("doorId") String doorId,
            @FormParam("guestName") String guestName, @FormParam("validity") String validity) {
        forms.check(token.getToken(), csrfToken);
        Duration valid = VALIDITIES.get(validity == null ? "" : validity);
        if (valid == null) {
            return render(400, "Choose how long the code is valid.", null);
        }
        if (doorId == null || doorId.isBlank()) {
            return render(400, "Choose a door.", null);
        }
        // the registry checks everything again: door, name, validity, and (through policy) that you may open the door
        JsonObject body = new JsonObject().put("doorId", doorId.strip()).put("guestName", guestName == null ? "" : guestName)
                .put("validUntil", Instant.now(Clock.systemUTC()).plus(valid).minusSeconds(5).toString());
        return api.createGuestCode(token, body).flatMap(answer -> switch (answer.status()) {
            case 201 -> render(201, null, new Created(answer.body().getString("guestName"), answer.body().getString("door"),
                    answer.body().getString("pin"), dev.portcullis.console.tenant.Words.when(answer.body().getString("validUntil"))));
            case 400, 403, 404, 409, 422 -> render(answer.status(), answer.body().getString("detail", "The code could not be created."), null);
            default -> throw new PeerUnavailableException("device-registry", "device-registry answered " + answer.status() + " to a guest code");
        });
    }

    @POST
    @Path("{id}/revoke")
    public Uni<Response> revoke(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrfToken) {
        forms.check(token.getToken(), csrfToken);
        UUID code;
        try {
            code = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No guest code " + id);
        }
        return api.revokeGuestCode(token, code).map(answer -> switch (answer.status()) {
            case 200 -> Response.seeOther(URI.create("/me/guest-codes")).build();
            case 404 -> throw new NotFoundException("No guest code " + id);
            default -> throw new PeerUnavailableException("device-registry", "device-registry answered " + answer.status() + " to a revocation");
        });
    }

    private Uni<Response> render(int status, String error, Created created) {
        String form = forms.of(token.getToken());
        return Uni.combine().all().unis(api.guestCodes(token), api.myDoors(token)).asTuple()
                .flatMap(both -> {
                    MyDoors doors = MyDoors.of(both.getItem2());
                    return page.data("codes", GuestCode.all(both.getItem1()))
                            .data("doors", Stream.concat(doors.openNow().stream(), doors.later().stream()).toList())
                            .data("choices", CHOICES).data("error", error).data("created", created).data("csrf", form).createUni();
                })
                .map(html -> Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .header("Cache-Control", "no-store").entity(html).build());
    }
}
