package dev.portcullis.audit.alert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an alert is about, and how urgent. The wire name is the lower-case constant ({@code low_battery}). */
public enum AlertKind {
    /** A person was forced to open the door. Silent: nothing goes back to the door. */
    DURESS(Severity.CRITICAL),
    TAMPER(Severity.CRITICAL),
    LOCKOUT(Severity.HIGH),
    REPEATED_DENIALS(Severity.HIGH),
    LOCK_OFFLINE(Severity.HIGH),
    CLOCK_SKEW(Severity.MEDIUM),
    LOW_BATTERY(Severity.LOW),
    /** A record that could not be recorded in the audit log (kept as a dead letter). */
    DEAD_LETTER(Severity.HIGH);

    public enum Severity {
        CRITICAL, HIGH, MEDIUM, LOW;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Severity severity;

    AlertKind(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AlertKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
    }
}
