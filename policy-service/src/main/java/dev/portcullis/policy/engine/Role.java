package dev.portcullis.policy.engine;

import java.util.Locale;

/** The roles an organization assigns. Only {@link #EMERGENCY} passes a property lockdown. */
public enum Role {
    OWNER, OPERATOR, PROPERTY_MANAGER, MAINTENANCE, TENANT, GUEST, PARTNER, EMERGENCY;

    /** The wire and database form: lower case, e.g. {@code property_manager}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String code) {
        try {
            return valueOf(code.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown role \"" + code + "\" (one of owner, operator, property_manager, "
                    + "maintenance, tenant, guest, partner, emergency)");
        }
    }
}
