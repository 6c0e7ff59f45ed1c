package dev.portcullis.console.review;

import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.audit.ServiceCall;
import dev.portcullis.console.operator.SignedInOperator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** policy-service's access review ({@code review/doors/{door}/access}) with the operator's own token. */
@ApplicationScoped
public class PolicyClient {

    static final String SERVICE = "policy-service";

    @Inject
    ServiceCall call;

    @Inject
    ConsoleConfig config;

    /** Who can open the door within [from, to) (null: policy's defaults, from now for 7 days). */
    public Uni<JsonObject> access(SignedInOperator operator, UUID door, String from, String to) {
        return call.get(operator, SERVICE, config.policyUrl(), path(operator, door), range(from, to), "application/json")
                .map(HttpResponse::bodyAsJsonObject);
    }

    /** The same review as policy's CSV (one row per subject and interval). */
    public Uni<String> accessCsv(SignedInOperator operator, UUID door, String from, String to) {
        return call.get(operator, SERVICE, config.policyUrl(), path(operator, door), range(from, to), "text/csv")
                .map(HttpResponse::bodyAsString);
    }

    private static String path(SignedInOperator operator, UUID door) {
        return "/admin/v1/organizations/" + operator.organizationId() + "/review/doors/" + door + "/access";
    }

    private static Map<String, String> range(String from, String to) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("from", from);
        query.put("to", to);
        return query;
    }
}
