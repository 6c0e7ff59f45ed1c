package dev.portcullis.registry.importing;

import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.importing.Csv.Line;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Portfolio imports: validated as a whole when uploaded (nothing of the portfolio is written when any row
 * is invalid), then applied in the background in batches, each batch and its progress in one transaction.
 * Every write is an insert-if-absent on the natural keys (property name; building name in its property;
 * unit name in its building; door name in its property, building and unit; lock serial number), so
 * uploading the same rows again changes nothing, and re-uploading after a failure picks up where it stopped.
 */
@ApplicationScoped
public class PortfolioImports {

    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(PortfolioImports.class);

    @RegisterForReflection
    public record ImportStatus(UUID id, String status, int totalRows, int processedRows, int createdObjects, List<ImportProblem> problems,
            String failure, OffsetDateTime createdAt, OffsetDateTime finishedAt) {
    }

    @Inject
    Db db;

    /** Validates and records the import: REJECTED with every problem, or PENDING and started. */
    public Uni<ImportStatus> submit(Operator op, String content) {
        UUID id = UUID.randomUUID();
        List<Line> lines;
        try {
            lines = Csv.parse(content);
        } catch (Csv.MalformedCsvException e) {
            return record(op, id, content, 0, List.of(new ImportProblem(e.line, null, e.getMessage())));
        }
        return snapshot(op.organizationId()).flatMap(portfolio -> {
            ImportValidator.Result result = ImportValidator.validate(lines, portfolio);
            return record(op, id, content, result.rows().size(), result.problems());
        }).invoke(status -> {
            if (status.status().equals("PENDING")) {
                apply(op.organizationId(), id).subscribe().with(
                        done -> LOG.infof("portfolio import %s finished", id),
                        failure -> LOG.errorf(failure, "portfolio import %s failed", id));
            }
        });
    }

    public Uni<ImportStatus> get(UUID organizationId, UUID id) {
        return db.one("SELECT id, status, total_rows, processed_rows, created_rows, problems::text, failure, created_at, finished_at"
                + " FROM portfolio_import WHERE organization_id = $1 AND id = $2", PortfolioImports::status, organizationId, id);
    }

    private Uni<ImportStatus> record(Operator op, UUID id, String content, int rows, List<ImportProblem> problems) {
        JsonArray report = new JsonArray();
        problems.forEach(p -> report.add(new JsonObject().put("row", p.row()).put("column", p.column()).put("problem", p.problem())));
        String status = problems.isEmpty() ? "PENDING" : "REJECTED";
        return db.inTransaction(sql -> Db.exec(sql, "INSERT INTO portfolio_import (id, organization_id, status, content, content_sha256,"
                + " total_rows, problems, created_by, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                + " CASE WHEN $3 = 'REJECTED' THEN now() END)", id, op.organizationId(), status, content, io.vertx.core.buffer.Buffer.buffer(sha256(content)),
                problems.isEmpty() ? rows : 0, report, op.subject()))
                .flatMap(x -> get(op.organizationId(), id));
    }

    /** Applies the rows batch by batch; a failure marks the import FAILED (what was applied stays, re-upload resumes). */
    Uni<Void> apply(UUID organizationId, UUID id) {
        return db.one("SELECT content FROM portfolio_import WHERE id = $1 AND organization_id = $2", row -> row.getString(0), id, organizationId)
                .flatMap(content -> snapshot(organizationId).map(portfolio -> {
                    try {
                        return ImportValidator.validate(Csv.parse(content), portfolio).rows();
                    } catch (Csv.MalformedCsvException e) {
                        throw new IllegalStateException("a validated import no longer parses", e);
                    }
                }))
                .flatMap(rows -> db.inTransaction(sql -> Db.exec(sql, "UPDATE portfolio_import SET status = 'RUNNING' WHERE id = $1", id))
                        .flatMap(x -> batches(organizationId, id, rows, 0)))
                .flatMap(x -> db.inTransaction(sql -> Db.exec(sql,
                        "UPDATE portfolio_import SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1", id)))
                .onFailure().recoverWithUni(failure -> db.inTransaction(sql -> Db.exec(sql, "UPDATE portfolio_import SET status = 'FAILED',"
                        + " failure = $2, finished_at = now() WHERE id = $1", id, failureText(failure))))
                .replaceWithVoid();
    }

    private Uni<Void> batches(UUID organizationId, UUID id, List<ImportRow> rows, int from) {
        if (from >= rows.size()) {
            return Uni.createFrom().voidItem();
        }
        List<ImportRow> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
        return db.inTransaction(sql -> {
            Uni<Integer> created = Uni.createFrom().item(0);
            for (ImportRow row : batch) {
                created = created.flatMap(count -> applyRow(sql, organizationId, row).map(n -> count + n));
            }
            return created.flatMap(count -> Db.exec(sql, "UPDATE portfolio_import SET processed_rows = processed_rows + $2,"
                    + " created_rows = created_rows + $3 WHERE id = $1", id, batch.size(), count));
        }).flatMap(x -> batches(organizationId, id, rows, from + batch.size()));
    }

    /** Inserts whatever of the row does not exist yet; returns how many objects it created. */
    private static Uni<Integer> applyRow(SqlClient sql, UUID org, ImportRow row) {
        int[] created = {0};
        Uni<UUID> property = upsert(sql, created, "INSERT INTO property (id, organization_id, name, time_zone) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (organization_id, name) DO NOTHING", "SELECT id FROM property WHERE organization_id = $1 AND name = $2",
                new Object[] {org, row.property(), row.timeZone()}, new Object[] {org, row.property()});
        Uni<Object[]> place = property.flatMap(propertyId -> {
            if (row.building() == null) {
                return Uni.createFrom().item(new Object[] {propertyId, null, null});
            }
            return upsert(sql, created, "INSERT INTO building (id, organization_id, property_id, name) VALUES ($1, $2, $3, $4)"
                    + " ON CONFLICT (property_id, name) DO NOTHING", "SELECT id FROM building WHERE organization_id = $1 AND property_id = $2 AND name = $3",
                    new Object[] {org, propertyId, row.building()}, new Object[] {org, propertyId, row.building()})
                    .flatMap(buildingId -> row.unit() == null ? Uni.createFrom().item(new Object[] {propertyId, buildingId, null})
                            : upsert(sql, created, "INSERT INTO unit (id, organization_id, building_id, name) VALUES ($1, $2, $3, $4)"
                                    + " ON CONFLICT (building_id, name) DO NOTHING",
                                    "SELECT id FROM unit WHERE organization_id = $1 AND building_id = $2 AND name = $3",
                                    new Object[] {org, buildingId, row.unit()}, new Object[] {org, buildingId, row.unit()})
                                    .map(unitId -> new Object[] {propertyId, buildingId, unitId}));
        });
        int[] before = {0};
        Uni<UUID> door = place.invoke(() -> before[0] = created[0]).flatMap(ids -> upsert(sql, created, "INSERT INTO door (id, organization_id, property_id, building_id, unit_id, name)"
                + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT door_name_unique DO NOTHING",
                "SELECT id FROM door WHERE organization_id = $1 AND property_id = $2 AND building_id IS NOT DISTINCT FROM $3"
                        + " AND unit_id IS NOT DISTINCT FROM $4 AND name = $5",
                new Object[] {org, ids[0], ids[1], ids[2], row.door()}, new Object[] {org, ids[0], ids[1], ids[2], row.door()}))
                .call(doorId -> created[0] > before[0] ? dev.portcullis.registry.portfolio.DoorEvents.changed(sql, org, doorId, "created",
                        dev.portcullis.registry.admin.Events.Cause.REGISTRY, java.time.Instant.now()) : Uni.createFrom().item(0));
        if (!row.hasLock()) {
            return door.map(x -> created[0]);
        }
        return door.flatMap(doorId -> Db.exec(sql, "INSERT INTO lock (id, organization_id, door_id, model, status, lock_model_id, serial_number)"
                + " SELECT $1, $2, $3, m.model, 'PENDING_ENROLLMENT', m.id, $6 FROM lock_model m"
                + " WHERE m.organization_id = $2 AND m.manufacturer = $4 AND m.model = $5"
                + " ON CONFLICT (organization_id, serial_number) DO NOTHING",
                UUID.randomUUID(), org, doorId, row.lockManufacturer(), row.lockModel(), row.lockSerial()))
                .map(n -> created[0] + n);
    }

    /** INSERT ... ON CONFLICT DO NOTHING with a fresh id prepended to the arguments, then the id of the row either way. */
    private static Uni<UUID> upsert(SqlClient sql, int[] created, String insert, String select, Object[] insertArgs, Object[] selectArgs) {
        Object[] args = new Object[insertArgs.length + 1];
        args[0] = UUID.randomUUID();
        System.arraycopy(insertArgs, 0, args, 1, insertArgs.length);
        return Db.exec(sql, insert, args).flatMap(n -> {
            created[0] += n;
            return Db.one(sql, select, row -> row.getUUID(0), selectArgs);
        });
    }

    /** The organization's portfolio as the validator needs it. */
    Uni<ImportValidator.Snapshot> snapshot(UUID org) {
        Uni<Map<String, String>> zones = db.list("SELECT name, time_zone FROM property WHERE organization_id = $1",
                row -> Map.entry(row.getString(0), row.getString(1)), org).map(PortfolioImports::toMap);
        Uni<List<String[]>> doors = db.list("SELECT p.name, coalesce(b.name, ''), coalesce(u.name, ''), d.name, l.serial_number"
                + " FROM door d JOIN property p ON p.id = d.property_id LEFT JOIN building b ON b.id = d.building_id"
                + " LEFT JOIN unit u ON u.id = d.unit_id LEFT JOIN lock l ON l.door_id = d.id WHERE d.organization_id = $1",
                row -> new String[] {String.join("\u0000", row.getString(0), row.getString(1), row.getString(2), row.getString(3)),
                        row.getString(4)}, org);
        Uni<Map<String, UUID>> models = db.list("SELECT manufacturer, model, id FROM lock_model WHERE organization_id = $1",
                row -> Map.entry(row.getString(0) + "\u0000" + row.getString(1), row.getUUID(2)), org).map(PortfolioImports::toMap);
        Uni<Map<String, String>> serials = db.list("SELECT serial_number, id::text FROM lock WHERE organization_id = $1 AND serial_number IS NOT NULL",
                row -> Map.entry(row.getString(0), row.getString(1)), org).map(PortfolioImports::toMap);
        return Uni.combine().all().unis(zones, doors, models, serials).with((z, d, m, s) -> {
            Map<String, String> doorSerials = new HashMap<>();
            Map<String, String> serialDoors = new HashMap<>();
            for (String[] door : d) {
                doorSerials.put(door[0], door[1]);
                if (door[1] != null) {
                    serialDoors.put(door[1], door[0]);
                }
            }
            // A serial on a lock whose door the query did not return cannot be matched to any imported door.
            s.keySet().forEach(serial -> serialDoors.putIfAbsent(serial, "\u0001unmatched"));
            return new ImportValidator.Snapshot(z, doorSerials, m, serialDoors);
        });
    }

    private static <V> Map<String, V> toMap(List<Map.Entry<String, V>> entries) {
        Map<String, V> map = new HashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    private static ImportStatus status(Row row) {
        JsonArray problems = new JsonArray(row.getString(5));
        List<ImportProblem> report = new java.util.ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            JsonObject p = problems.getJsonObject(i);
            report.add(new ImportProblem(p.getInteger("row"), p.getString("column"), p.getString("problem")));
        }
        return new ImportStatus(row.getUUID(0), row.getString(1), row.getInteger(2), row.getInteger(3), row.getInteger(4), report,
                row.getString(6), row.getOffsetDateTime(7), row.getOffsetDateTime(8));
    }

    private static String failureText(Throwable failure) {
        return failure instanceof dev.portcullis.kit.problem.ProblemException problem ? problem.getMessage()
                : "the import stopped on a database error; fix the cause and upload the same file again to resume";
    }

    private static byte[] sha256(String content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
