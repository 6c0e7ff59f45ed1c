package dev.portcullis.registry.model;

import java.time.LocalDate;

/** Whether the vendor still supports a lock model (ships firmware, security fixes included) on a given day. */
public enum SupportStatus {
    SUPPORTED,
    ENDING_SOON,
    UNSUPPORTED;

    /** No end-of-support date: supported. The end day itself is the last supported day. */
    public static SupportStatus on(LocalDate today, LocalDate endOfSupport, int endingSoonDays) {
        if (endOfSupport == null) {
            return SUPPORTED;
        }
        if (today.isAfter(endOfSupport)) {
            return UNSUPPORTED;
        }
        return today.plusDays(endingSoonDays).isBefore(endOfSupport) ? SUPPORTED : ENDING_SOON;
    }
}
