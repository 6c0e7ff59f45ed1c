package dev.portcullis.identity.account;

import java.text.Normalizer;
import java.util.Locale;

/** Usernames are compared in one canonical form: NFKC, trimmed, lower case. */
public final class Usernames {

    /** Longer input is not a username; it is refused before any lookup. */
    public static final int MAX_LENGTH = 254;

    private Usernames() {
    }

    public static String normalize(String username) {
        if (username == null) {
            return "";
        }
        return Normalizer.normalize(username, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }
}
