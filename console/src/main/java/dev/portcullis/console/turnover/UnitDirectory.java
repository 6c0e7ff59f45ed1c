package dev.portcullis.console.turnover;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.operator.SignedInOperator;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The organization's units with their building and property, from device-registry (properties → buildings → units). */
@ApplicationScoped
public class UnitDirectory {

    @Inject
    Peers peers;

    @TemplateData
    public record Unit(String id, String name, String buildingName, String propertyId, String propertyName) {
    }

    public Uni<List<Unit>> units(SignedInOperator operator) {
        return peers.getArray(operator, peers.registry(operator, "properties"))
                .flatMap(properties -> Multi.createFrom().iterable(objects(properties))
                        .onItem().transformToUniAndConcatenate(property -> peers.getArray(operator,
                                        peers.registry(operator, "properties/" + property.getString("id") + "/buildings"))
                                .flatMap(buildings -> Multi.createFrom().iterable(objects(buildings))
                                        .onItem().transformToUniAndConcatenate(building -> peers.getArray(operator,
                                                        peers.registry(operator, "buildings/" + building.getString("id") + "/units"))
                                                .map(units -> objects(units).stream().map(unit -> new Unit(unit.getString("id"),
                                                        unit.getString("name"), building.getString("name"), property.getString("id"),
                                                        property.getString("name"))).toList()))
                                        .collect().asList()))
                        .collect().asList())
                .map(nested -> {
                    List<Unit> all = new ArrayList<>();
                    nested.forEach(perProperty -> perProperty.forEach(all::addAll));
                    all.sort(Comparator.comparing(Unit::propertyName, String.CASE_INSENSITIVE_ORDER)
                            .thenComparing(Unit::buildingName, String.CASE_INSENSITIVE_ORDER)
                            .thenComparing(Unit::name, String.CASE_INSENSITIVE_ORDER));
                    return all;
                });
    }

    /** One unit, or a 404 page when the organization has no such unit. */
    public Uni<Unit> unit(SignedInOperator operator, String unitId) {
        return units(operator).map(all -> all.stream().filter(unit -> unit.id().equals(unitId)).findFirst()
                .orElseThrow(() -> new jakarta.ws.rs.NotFoundException("No unit " + unitId)));
    }

    static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            list.add(array.getJsonObject(i));
        }
        return list;
    }
}
