package dev.portcullis.console.action;

import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.operator.NotAnOperatorException;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import dev.portcullis.console.peer.PeerUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
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

/**
 * The APIs behind the operator's actions, always called with the signed-in operator's own access token:
 * device-registry's and policy-service's operator APIs and command-service's approvals. Nothing here decides
 * anything: the peer checks the token and the action exactly as for a partner, and its answer is translated
 * into something the console can show (a refusal with the peer's explanation, a step-up, a missing object, or
 * "unavailable").
 */
@ApplicationScoped
public class Peers {

    @Inject
    ConsoleConfig config;

    @Inject
    WebClient client;

    /** A route of device-registry's operator API below the operator's organization. */
    public URI registry(SignedInOperator operator, String path) {
        return config.registryUrl().resolve("/admin/v1/organizations/" + operator.organizationId() + "/" + path);
    }

    /** A route of policy-service's operator API below the operator's organization. */
    public URI policy(SignedInOperator operator, String path) {
        return config.policyUrl().resolve("/admin/v1/organizations/" + operator.organizationId() + "/" + path);
    }

    /** A route of command-service's API. */
    public URI command(String path) {
        return config.commandUrl().resolve("/v1/" + path);
    }

    public Uni<JsonObject> getObject(SignedInOperator operator, URI uri) {
        return send(operator, HttpMethod.GET, uri, null).map(Peers::object);
    }

    public Uni<JsonArray> getArray(SignedInOperator operator, URI uri) {
        return send(operator, HttpMethod.GET, uri, null).map(response -> {
            try {
                JsonArray array = response.bodyAsJsonArray();
                return array == null ? new JsonArray() : array;
            } catch (DecodeException e) {
                throw new PeerUnavailableException(peer(uri), "not a JSON array from " + uri.getPath());
            }
        });
    }

    /** POST (a JSON body, or none when {@code body} is null); the answer's JSON object, or an empty one. */
    public Uni<JsonObject> post(SignedInOperator operator, URI uri, JsonObject body) {
        return send(operator, HttpMethod.POST, uri, body).map(Peers::object);
    }

    public Uni<JsonObject> delete(SignedInOperator operator, URI uri) {
        return send(operator, HttpMethod.DELETE, uri, null).map(Peers::object);
    }

    private Uni<HttpResponse<Buffer>> send(SignedInOperator operator, HttpMethod method, URI uri, JsonObject body) {
        String peer = peer(uri);
        HttpRequest<Buffer> request = client.requestAbs(method, uri.toString())
                .bearerTokenAuthentication(operator.accessToken())
                .putHeader("Accept", "application/json")
                .timeout(config.registryTimeout().toMillis());
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
        return sent
                .onFailure().transform(e -> new PeerUnavailableException(peer, peer + " did not answer: " + e.getMessage()))
                .map(response -> {
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return response;
                    }
                    if (status == 401) {
                        StepUpRequiredException stepUp = StepUpRequiredException.fromChallenge(response.getHeader("WWW-Authenticate"));
                        if (stepUp != null) {
                            throw stepUp;
                        }
                        throw new PeerRefusedException(401, "Sign in again", peer + " no longer accepts your sign-in: sign out and in again");
                    }
                    if (status == 403 && detail(response) == null) {
                        throw new NotAnOperatorException(peer + " refused: you are not an operator of this organization");
                    }
                    if (status == 404) {
                        throw new NotFoundException(peer + " does not know " + uri.getPath());
                    }
                    if (status == 400 || status == 403 || status == 409 || status == 422) {
                        String detail = detail(response);
                        throw new PeerRefusedException(status, "Refused", detail == null ? peer + " refused this (" + status + ")" : detail);
                    }
                    throw new PeerUnavailableException(peer, peer + " answered " + status + " for " + method + " " + uri.getPath());
                });
    }

    private String peer(URI uri) {
        if (sameService(uri, config.commandUrl())) {
            return "command-service";
        }
        if (sameService(uri, config.policyUrl())) {
            return "policy-service";
        }
        return "device-registry";
    }

    private static boolean sameService(URI uri, URI base) {
        return uri.getHost() != null && uri.getHost().equals(base.getHost()) && uri.getPort() == base.getPort();
    }

    /** The {@code detail} (else {@code title}) of a problem+json answer, or null. */
    private static String detail(HttpResponse<Buffer> response) {
        try {
            JsonObject problem = response.bodyAsJsonObject();
            if (problem == null) {
                return null;
            }
            String detail = problem.getString("detail");
            return detail != null && !detail.isBlank() ? detail : problem.getString("title");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonObject object(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            return response.bodyAsJsonObject();
        } catch (DecodeException e) {
            return new JsonObject();
        }
    }
}
