package dev.portcullis.registry.credential;

import dev.portcullis.lock.protocol.WeeklyWindow;
import dev.portcullis.registry.admin.Checks;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * An operator's request to issue a credential for a door's lock, and its checks. Every refusal is a
 * problem naming the field; the PIN or card UID is never echoed.
 *
 * @param type      PIN, CARD, FINGERPRINT, PALM_VEIN or FACE (biometric kinds are references: the template
 *                  is enrolled at the lock)
 * @param usage     permanent (no bounds), scheduled (weekly windows), temporary (ends at validUntil) or
 *                  one_time (one use, ends at validUntil)
 * @param pin       4–12 digits; generated when absent (then shown once in the answer)
 * @param cardUid   the card's UID in hex (CARD)
 * @param windows   weekly windows, e.g. {"day": "MONDAY", "start": "08:00", "end": "18:00"}, in timeZone
 *                  (the property's zone when absent)
 */
public record IssueRequest(String type, String usage, String holderSubjectId, String label, String pin, String cardUid,
        Boolean duress, OffsetDateTime validFrom, OffsetDateTime validUntil, List<Window> windows, String timeZone,
        Integer maxUses, UUID unitId) {

    public record Window(String day, String start, String end) {
    }

    static final Set<String> TYPES = Set.of("PIN", "CARD", "FINGERPRINT", "PALM_VEIN", "FACE");
    static final Set<String> USAGES = Set.of("permanent", "scheduled", "temporary", "one_time");

    /** The checked request, with the secret as bytes (null for biometric references). */
    record Checked(String type, String usage, String holderSubjectId, String label, byte[] secret, boolean generatedPin,
            boolean duress, OffsetDateTime validFrom, OffsetDateTime validUntil, List<WeeklyWindow> windows, String timeZone,
            int maxUses, UUID unitId, String guestOf) {

        /** The same credential as a guest code the tenant {@code tenant} gives. */
        Checked asGuestCodeOf(String tenant) {
            return new Checked(type, usage, holderSubjectId, label, secret, generatedPin, duress, validFrom, validUntil, windows,
                    timeZone, maxUses, unitId, tenant);
        }
    }

    Checked check(Instant now, String propertyZone, SecretSealing sealing, int pinLength) {
        String kind = Checks.required(type, "type").toUpperCase(Locale.ROOT);
        if (!TYPES.contains(kind)) {
            throw Checks.invalid("type must be one of PIN, CARD, FINGERPRINT, PALM_VEIN, FACE");
        }
        String use = Checks.required(usage, "usage").toLowerCase(Locale.ROOT);
        if (!USAGES.contains(use)) {
            throw Checks.invalid("usage must be one of permanent, scheduled, temporary, one_time");
        }
        String holder = holderSubjectId == null ? null : Checks.name(holderSubjectId, "holderSubjectId", 200);
        String name = label == null ? null : Checks.name(label, "label", 200);
        boolean isDuress = Boolean.TRUE.equals(duress);
        if (isDuress && !kind.equals("PIN")) {
            throw Checks.invalid("duress is only for PINs");
        }
        if (isDuress && holder == null) {
            throw Checks.invalid("a duress PIN belongs to a person: holderSubjectId is required");
        }
        byte[] secret = null;
        boolean generated = false;
        switch (kind) {
            case "PIN" -> {
                if (cardUid != null) {
                    throw Checks.invalid("cardUid is only for cards");
                }
                String digits = pin;
                if (digits == null) {
                    do {
                        digits = sealing.randomPin(pinLength);
                    } while (weak(digits));
                    generated = true;
                } else if (!digits.matches("[0-9]{4,12}")) {
                    throw Checks.invalid("pin must be 4 to 12 digits");
                } else if (weak(digits)) {
                    throw Checks.unprocessable("weak-pin", "The PIN is too easy to guess (one repeated digit or a run like 1234); choose another or let the registry generate one");
                }
                secret = digits.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            case "CARD" -> {
                if (pin != null) {
                    throw Checks.invalid("pin is only for PINs");
                }
                String uid = Checks.required(cardUid, "cardUid").strip();
                if (!uid.matches("([0-9A-Fa-f]{2}){1,32}")) {
                    throw Checks.invalid("cardUid must be 1 to 32 bytes in hex");
                }
                secret = HexFormat.of().parseHex(uid);
            }
            default -> {
                if (pin != null || cardUid != null) {
                    throw Checks.invalid("a biometric credential is a reference: the template is enrolled at the lock, no pin or cardUid");
                }
            }
        }
        List<WeeklyWindow> weekly = parseWindows();
        String zone = null;
        if (!weekly.isEmpty()) {
            zone = timeZone == null ? propertyZone : timeZone;
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw Checks.invalid("timeZone is not an IANA time zone");
            }
        } else if (timeZone != null) {
            throw Checks.invalid("timeZone is only for weekly windows");
        }
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            throw Checks.invalid("validUntil must be after validFrom");
        }
        if (validUntil != null && !validUntil.toInstant().isAfter(now)) {
            throw Checks.invalid("validUntil is in the past");
        }
        if (maxUses != null && maxUses < 1) {
            throw Checks.invalid("maxUses must be 1 or more");
        }
        int uses = maxUses == null ? 0 : maxUses;
        switch (use) {
            case "permanent" -> {
                if (validFrom != null || validUntil != null || !weekly.isEmpty() || maxUses != null) {
                    throw Checks.invalid("a permanent credential has no validFrom, validUntil, windows or maxUses");
                }
            }
            case "scheduled" -> {
                if (weekly.isEmpty()) {
                    throw Checks.invalid("a scheduled credential needs windows");
                }
            }
            case "temporary" -> {
                if (validUntil == null) {
                    throw Checks.invalid("a temporary credential needs validUntil");
                }
            }
            default -> {
                if (validUntil == null) {
                    throw Checks.invalid("a one-time credential needs validUntil");
                }
                if (maxUses != null && maxUses != 1) {
                    throw Checks.invalid("a one-time credential is used once: leave maxUses out");
                }
                uses = 1;
            }
        }
        if (isDuress && !use.equals("permanent")) {
            throw Checks.invalid("a duress PIN is permanent");
        }
        return new Checked(kind, use, holder, name, secret, generated, isDuress, validFrom, validUntil, weekly, zone, uses, unitId, null);
    }

    private List<WeeklyWindow> parseWindows() {
        if (windows == null) {
            return List.of();
        }
        if (windows.size() > 28) {
            throw Checks.invalid("at most 28 windows");
        }
        List<WeeklyWindow> parsed = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            String field = "windows[" + i + "]";
            if (window == null || window.day() == null || window.start() == null || window.end() == null) {
                throw Checks.invalid(field + " needs day, start and end");
            }
            DayOfWeek day;
            try {
                day = DayOfWeek.valueOf(window.day().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Checks.invalid(field + ".day must be MONDAY … SUNDAY");
            }
            int start = minute(window.start(), field + ".start", false);
            int end = minute(window.end(), field + ".end", true);
            if (end <= start) {
                throw Checks.invalid(field + " must end after it starts");
            }
            parsed.add(new WeeklyWindow(day, start, end));
        }
        return parsed;
    }

    private static int minute(String time, String field, boolean end) {
        if (end && time.equals("24:00")) {
            return 1440;
        }
        try {
            return LocalTime.parse(time).toSecondOfDay() / 60;
        } catch (DateTimeException e) {
            throw Checks.invalid(field + " must be HH:mm");
        }
    }

    /** One repeated digit, or an ascending/descending run (1234, 9876): the first codes anyone tries. */
    static boolean weak(String digits) {
        boolean same = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < digits.length(); i++) {
            int step = digits.charAt(i) - digits.charAt(i - 1);
            same &= step == 0;
            up &= step == 1;
            down &= step == -1;
        }
        return same || up || down;
    }
}
