package dev.portcullis.console.tenant;

import dev.portcullis.console.peer.PeerUnavailableException;
import dev.portcullis.console.ConsoleConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * The APIs a tenant's page is built from, each called with the signed-in person's own access token — the same
 * APIs and checks partners and apps use, so the console can do nothing policy, command-service or the registry
 * would not let that person do: {@code GET /v1/me/doors} (policy-service), {@code POST /v1/doors/{door}/unlock} and
 * {@code GET /v1/action-attempts/{id}} (command-service), {@code /v1/me/guest-codes} (device-registry).
 */
@ApplicationScoped
public class TenantApi {

    /** An answer whose status the page shows (unlock, guest-code changes): status, JSON body, RFC 9470 challenge. */
    public record Answer(int status, JsonObject body, String challenge) {
    }

    @Inject
    ConsoleConfig config;

    @Inject
    WebClient client;

    public Uni<JsonObject> myDoors(AccessTokenCredential token) {
        return read(client.getAbs(url(config.policyUrl(), "/v1/me/doors")), token, "policy-service").map(HttpResponse::bodyAsJsonObject);
    }

    public Uni<JsonObject> attempt(AccessTokenCredential token, UUID attempt) {
        return read(client.getAbs(url(config.commandUrl(), "/v1/action-attempts/" + attempt)), token, "command-service")
                .map(HttpResponse::bodyAsJsonObject);
    }

    public Uni<JsonArray> guestCodes(AccessTokenCredential token) {
        return read(client.getAbs(url(config.registryUrl(), "/v1/me/guest-codes")), token, "device-registry")
                .map(HttpResponse::bodyAsJsonArray);
    }

    /** Asks command-service to unlock; it answers once the lock acknowledged, the command expired, or policy decided otherwise. */
    public Uni<Answer> unlock(AccessTokenCredential token, UUID door, String idempotencyKey) {
        HttpRequest<Buffer> request = client.postAbs(url(config.commandUrl(), "/v1/doors/" + door + "/unlock"))
                .putHeader("Idempotency-Key", idempotencyKey);
        return send(request, token, null, config.unlockTimeout(), "command-service");
    }

    public Uni<Answer> createGuestCode(AccessTokenCredential token, JsonObject body) {
        return send(client.postAbs(url(config.registryUrl(), "/v1/me/guest-codes")), token, body, config.registryTimeout(),
                "device-registry");
    }

    public Uni<Answer> revokeGuestCode(AccessTokenCredential token, UUID code) {
        return send(client.postAbs(url(config.registryUrl(), "/v1/me/guest-codes/" + code + "/revoke")), token, null,
                config.registryTimeout(), "device-registry");
    }

    private Uni<HttpResponse<Buffer>> read(HttpRequest<Buffer> request, AccessTokenCredential token, String service) {
        return request.bearerTokenAuthentication(token.getToken()).putHeader("Accept", "application/json")
                .timeout(config.registryTimeout().toMillis())
                .send()
                .onFailure().transform(e -> new PeerUnavailableException(service, service + " did not answer: " + e.getMessage()))
                .map(response -> switch (response.statusCode()) {
                    case 200 -> response;
                    case 404 -> throw new NotFoundException(service + " does not know " + request.uri());
                    default -> throw new PeerUnavailableException(service, service + " answered " + response.statusCode() + " for " + request.uri());
                });
    }

    private Uni<Answer> send(HttpRequest<Buffer> request, AccessTokenCredential token, JsonObject body, Duration timeout, String service) {
        request.bearerTokenAuthentication(token.getToken()).putHeader("Accept", "application/json").timeout(timeout.toMillis());
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
        return sent.onFailure().transform(e -> new PeerUnavailableException(service, service + " did not answer: " + e.getMessage()))
                .map(response -> {
                    if (response.statusCode() >= 500) {
                        throw new PeerUnavailableException(service, service + " answered " + response.statusCode() + " for " + request.uri());
                    }
                    JsonObject json;
                    try {
                        json = response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
                    } catch (RuntimeException e) {
                        throw new PeerUnavailableException(service, service + " answered " + response.statusCode() + " without JSON");
                    }
                    return new Answer(response.statusCode(), json, response.getHeader("WWW-Authenticate"));
                });
    }

    private static String url(URI base, String path) {
        return base.resolve(path).toString();
    }
}
