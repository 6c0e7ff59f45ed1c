package dev.portcullis.audit.alert;

import dev.portcullis.audit.chain.EntryColumns;
import java.util.Optional;

/** Which alert, if any, an audit entry raises by itself (repeated denials and offline locks need more than one entry). */
public final class AlertRules {

    static final String LOCK_EVENT = "lock_event_reported";
    static final String UNLOCK_DECIDED = "unlock_decided";
    static final String DENIED = "denied";

    private AlertRules() {
    }

    public static Optional<AlertKind> immediate(EntryColumns entry) {
        if (!LOCK_EVENT.equals(entry.eventType()) || entry.outcome() == null) {
            return Optional.empty();
        }
        return switch (entry.outcome()) {
            case "duress" -> Optional.of(AlertKind.DURESS);
            case "tamper" -> Optional.of(AlertKind.TAMPER);
            case "lockout" -> Optional.of(AlertKind.LOCKOUT);
            case "low_battery" -> Optional.of(AlertKind.LOW_BATTERY);
            case "clock_skew" -> Optional.of(AlertKind.CLOCK_SKEW);
            default -> Optional.empty();
        };
    }

    public static boolean isDenial(EntryColumns entry) {
        return UNLOCK_DECIDED.equals(entry.eventType()) && DENIED.equals(entry.outcome());
    }
}
