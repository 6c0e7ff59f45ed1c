package dev.portcullis.console.lockdown;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonObject;

/** A property as policy-service holds it, with its lockdown (null fields when there is none). */
@TemplateData
public record PropertyLockdown(String id, String name, String lockdownSince, String lockdownReason, String lockdownBy) {

    static PropertyLockdown of(JsonObject property) {
        return new PropertyLockdown(property.getString("id"), property.getString("name"), property.getString("lockdownSince"),
                property.getString("lockdownReason"), property.getString("lockdownBy"));
    }

    public boolean lockedDown() {
        return lockdownSince != null;
    }
}
