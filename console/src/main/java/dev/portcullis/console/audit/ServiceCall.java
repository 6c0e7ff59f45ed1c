package dev.portcullis.console.audit;

import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.operator.NotAnOperatorException;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import dev.portcullis.console.peer.PeerUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.net.URI;
import java.util.Map;

/**
 * Calls audit-service and policy-service with the signed-in operator's own access token (the same APIs partners
 * and scripts use, with the same checks), and turns their answers into what a page shows: 403 → "Not an operator",
 * 404 → not found, 400/409 → the service's own sentence ({@link PeerRefusedException}), anything else →
 * "unavailable" ({@link PeerUnavailableException}, the detail goes to the log).
 */
@ApplicationScoped
public class ServiceCall {

    @Inject
    ConsoleConfig config;

    @Inject
    WebClient client;

    /** GET {@code base + path} with the query parameters (null values left out). */
    public Uni<HttpResponse<Buffer>> get(SignedInOperator operator, String service, URI base, String path, Map<String, String> query,
            String accept) {
        HttpRequest<Buffer> request = client.getAbs(base.resolve(path).toString());
        query.forEach((name, value) -> {
            if (value != null) {
                request.addQueryParam(name, value);
            }
        });
        return send(service, path, request.bearerTokenAuthentication(operator.accessToken()).putHeader("Accept", accept).send());
    }

    /** POST a JSON body. */
    public Uni<HttpResponse<Buffer>> post(SignedInOperator operator, String service, URI base, String path, JsonObject body) {
        HttpRequest<Buffer> request = client.postAbs(base.resolve(path).toString())
                .bearerTokenAuthentication(operator.accessToken())
                .putHeader("Accept", "application/json");
        return send(service, path, request.sendJsonObject(body));
    }

    private Uni<HttpResponse<Buffer>> send(String service, String path, Uni<HttpResponse<Buffer>> call) {
        return call
                .ifNoItem().after(config.registryTimeout()).fail()
                .onFailure().transform(e -> new PeerUnavailableException(service, service + " did not answer: " + e))
                .map(response -> switch (response.statusCode()) {
                    case 200, 201 -> response;
                    case 400, 409 -> throw new PeerRefusedException(response.statusCode(), response.statusCode() == 409 ? "Conflict" : "Not accepted",
                            problemDetail(response));
                    case 403 -> throw new NotAnOperatorException(service + " refused: you are not an operator of this organization");
                    case 404 -> throw new NotFoundException(service + " does not know " + path);
                    default -> throw new PeerUnavailableException(service, service + " answered " + response.statusCode() + " for " + path);
                });
    }

    /** The {@code detail} of a problem+json answer (a sentence meant for people), or a generic one. */
    private static String problemDetail(HttpResponse<Buffer> response) {
        try {
            String detail = response.bodyAsJsonObject().getString("detail");
            return detail == null || detail.isBlank() ? "The request was refused." : detail;
        } catch (RuntimeException e) {
            return "The request was refused.";
        }
    }
}
