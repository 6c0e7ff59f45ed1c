package dev.portcullis.registry.importing;

/**
 * One data row of a portfolio import: where the door is (property, building, unit, door, by name) and,
 * optionally, the lock on it (model by manufacturer and model name, serial number). Empty cells are null.
 */
record ImportRow(int line, String property, String timeZone, String building, String unit, String door, String lockManufacturer,
        String lockModel, String lockSerial) {

    /** The door's natural key. */
    String doorKey() {
        return String.join("\u0000", property, building == null ? "" : building, unit == null ? "" : unit, door);
    }

    boolean hasLock() {
        return lockSerial != null;
    }

    String modelKey() {
        return lockManufacturer + "\u0000" + lockModel;
    }
}
