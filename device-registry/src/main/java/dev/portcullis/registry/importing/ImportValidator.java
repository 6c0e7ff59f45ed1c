package dev.portcullis.registry.importing;

import dev.portcullis.registry.importing.Csv.Line;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a whole import against itself and the organization's portfolio as it is, and reports every
 * problem (row, column, what is wrong), not just the first. Only a file without problems is applied.
 */
final class ImportValidator {

    static final List<String> COLUMNS = List.of("property", "time_zone", "building", "unit", "door", "lock_manufacturer", "lock_model",
            "lock_serial");
    static final int MAX_NAME = 200;

    /** The organization's portfolio as the import needs to know it. */
    record Snapshot(Map<String, String> propertyZones, Map<String, String> doorLockSerials, Map<String, java.util.UUID> lockModels,
            Map<String, String> serialDoors) {
    }

    record Result(List<ImportRow> rows, List<ImportProblem> problems) {
    }

    private ImportValidator() {
    }

    static Result validate(List<Line> lines, Snapshot portfolio) {
        List<ImportProblem> problems = new ArrayList<>();
        List<ImportRow> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            problems.add(new ImportProblem(1, null, "the file is empty; the first line must name the columns " + COLUMNS));
            return new Result(rows, problems);
        }
        Line header = lines.get(0);
        List<String> names = header.fields().stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).toList();
        if (!names.equals(COLUMNS)) {
            problems.add(new ImportProblem(header.number(), null, "the first line must name the columns " + String.join(",", COLUMNS)));
            return new Result(rows, problems);
        }
        Map<String, String> zones = new HashMap<>(portfolio.propertyZones());
        Map<String, String> doorSerials = new HashMap<>(portfolio.doorLockSerials());
        Map<String, String> serialDoors = new HashMap<>(portfolio.serialDoors());
        for (Line line : lines.subList(1, lines.size())) {
            int n = line.number();
            if (line.fields().size() != COLUMNS.size()) {
                problems.add(new ImportProblem(n, null, "expected " + COLUMNS.size() + " fields, found " + line.fields().size()));
                continue;
            }
            int before = problems.size();
            String property = text(line, 0, true, problems);
            String zone = text(line, 1, true, problems);
            String building = text(line, 2, false, problems);
            String unit = text(line, 3, false, problems);
            String door = text(line, 4, true, problems);
            String manufacturer = text(line, 5, false, problems);
            String model = text(line, 6, false, problems);
            String serial = text(line, 7, false, problems);
            if (zone != null) {
                try {
                    zone = ZoneId.of(zone).getId();
                } catch (DateTimeException e) {
                    problems.add(new ImportProblem(n, "time_zone", "not a known time zone (e.g. Europe/Berlin)"));
                    zone = null;
                }
            }
            if (property != null && zone != null) {
                String known = zones.putIfAbsent(property, zone);
                if (known != null && !known.equals(zone)) {
                    problems.add(new ImportProblem(n, "time_zone", "property '" + property + "' is in " + known));
                }
            }
            if (unit != null && building == null) {
                problems.add(new ImportProblem(n, "building", "required when a unit is given"));
            }
            boolean anyLock = manufacturer != null || model != null || serial != null;
            if (anyLock) {
                if (manufacturer == null) {
                    problems.add(new ImportProblem(n, "lock_manufacturer", "required when the row has a lock"));
                }
                if (model == null) {
                    problems.add(new ImportProblem(n, "lock_model", "required when the row has a lock"));
                }
                if (serial == null) {
                    problems.add(new ImportProblem(n, "lock_serial", "required when the row has a lock"));
                }
                if (manufacturer != null && model != null && !portfolio.lockModels().containsKey(manufacturer + "\u0000" + model)) {
                    problems.add(new ImportProblem(n, "lock_model", "no lock model '" + model + "' of '" + manufacturer
                            + "' in this organization; create it first"));
                }
            }
            if (problems.size() > before) {
                continue;
            }
            ImportRow row = new ImportRow(n, property, zone, building, unit, door, manufacturer, model, serial);
            String doorKey = row.doorKey();
            if (serial != null) {
                String doorOfSerial = serialDoors.putIfAbsent(serial, doorKey);
                if (doorOfSerial != null && !doorOfSerial.equals(doorKey)) {
                    problems.add(new ImportProblem(n, "lock_serial", "this serial number is already on another door"));
                    continue;
                }
                if (doorSerials.containsKey(doorKey)) {
                    String onDoor = doorSerials.get(doorKey);
                    if (onDoor != null && !onDoor.equals(serial)) {
                        problems.add(new ImportProblem(n, "lock_serial", "the door already has a lock with another serial number"));
                        continue;
                    }
                }
                doorSerials.put(doorKey, serial);
            } else {
                doorSerials.putIfAbsent(doorKey, null);
            }
            rows.add(row);
        }
        if (lines.size() == 1) {
            problems.add(new ImportProblem(header.number(), null, "the file has no data rows"));
        }
        return new Result(rows, problems);
    }

    private static String text(Line line, int column, boolean required, List<ImportProblem> problems) {
        String value = line.fields().get(column).strip();
        String name = COLUMNS.get(column);
        if (value.isEmpty()) {
            if (required) {
                problems.add(new ImportProblem(line.number(), name, "required"));
            }
            return null;
        }
        if (value.length() > MAX_NAME) {
            problems.add(new ImportProblem(line.number(), name, "longer than " + MAX_NAME + " characters"));
            return null;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(new ImportProblem(line.number(), name, "contains control characters"));
            return null;
        }
        return value;
    }
}
