package dev.portcullis.console.registry;

import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.operator.NotAnOperatorException;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.net.URI;
import java.util.UUID;

/**
 * device-registry's operator API, called with the signed-in operator's own access token: the console sees
 * exactly what the registry lets that operator see (same API, same checks as partners).
 */
@ApplicationScoped
public class RegistryClient {

    @Inject
    ConsoleConfig config;

    @Inject
    WebClient client;

    public Uni<JsonArray> properties(SignedInOperator operator) {
        return get(operator, "properties").map(HttpResponse::bodyAsJsonArray);
    }

    public Uni<JsonArray> doors(SignedInOperator operator) {
        return get(operator, "doors").map(HttpResponse::bodyAsJsonArray);
    }

    public Uni<JsonArray> locks(SignedInOperator operator) {
        return get(operator, "locks").map(HttpResponse::bodyAsJsonArray);
    }

    public Uni<JsonObject> lock(SignedInOperator operator, UUID lockId) {
        return get(operator, "locks/" + lockId).map(HttpResponse::bodyAsJsonObject);
    }

    public Uni<JsonObject> lockCredentials(SignedInOperator operator, UUID lockId) {
        return get(operator, "locks/" + lockId + "/credentials").map(HttpResponse::bodyAsJsonObject);
    }

    private Uni<HttpResponse<Buffer>> get(SignedInOperator operator, String path) {
        URI uri = config.registryUrl().resolve("/admin/v1/organizations/" + operator.organizationId() + "/" + path);
        return client.getAbs(uri.toString())
                .bearerTokenAuthentication(operator.accessToken())
                .putHeader("Accept", "application/json")
                .timeout(config.registryTimeout().toMillis())
                .send()
                .onFailure().transform(e -> new PeerUnavailableException("device-registry", "device-registry did not answer: " + e.getMessage()))
                .map(response -> switch (response.statusCode()) {
                    case 200 -> response;
                    case 403 -> throw new NotAnOperatorException("device-registry refused: you are not an operator of this organization");
                    case 404 -> throw new NotFoundException("device-registry does not know " + path);
                    default -> throw new PeerUnavailableException("device-registry", "device-registry answered " + response.statusCode() + " for " + path);
                });
    }
}
