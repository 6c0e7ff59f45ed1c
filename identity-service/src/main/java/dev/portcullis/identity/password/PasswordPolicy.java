package dev.portcullis.identity.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B §3.1.1.2, OWASP ASVS 5.0 §6.2): at least 8 characters,
 * at least 15 when the password is the account's only factor, up to {@link #MAX_LENGTH} characters
 * accepted whole (never truncated), not a common password (the shipped blocklist, compared in lower
 * case, also without spaces and without a trailing run of digits and symbols), not the username or
 * another word from the context. No composition rules. Lengths are counted in code points after NFKC,
 * the form {@link Argon2id} hashes.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MIN_LENGTH_ONLY_FACTOR = 15;
    public static final int MAX_LENGTH = 1024;
    static final String BLOCKLIST = "/password/blocklist.txt";

    /** Words that make a weak password here whatever the account. */
    static final Set<String> SERVICE_WORDS = Set.of("portcullis", "identity", "unlock", "smartlock");

    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /**
     * Why the password is refused (a sentence for the person choosing it), or empty when it is acceptable.
     *
     * @param onlyFactor true when the organization does not require MFA and the account has no second factor
     * @param contextWords the username, display name, organization name: refused as passwords
     */
    public static Optional<String> violation(String password, boolean onlyFactor, Collection<String> contextWords) {
        if (password == null || password.isEmpty()) {
            return Optional.of("Choose a password.");
        }
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFKC);
        int length = normalized.codePointCount(0, normalized.length());
        int min = onlyFactor ? MIN_LENGTH_ONLY_FACTOR : MIN_LENGTH;
        if (length < min) {
            return Optional.of(onlyFactor
                    ? "Use at least " + MIN_LENGTH_ONLY_FACTOR + " characters: this password will be your only sign-in factor."
                    : "Use at least " + MIN_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("Use at most " + MAX_LENGTH + " characters.");
        }
        String lower = normalized.toLowerCase(Locale.ROOT);
        Set<String> candidates = new HashSet<>();
        candidates.add(lower);
        candidates.add(lower.replaceAll("\\s+", ""));
        candidates.add(lower.replaceAll("[\\p{N}\\p{P}\\p{S}\\s]+$", ""));
        candidates.add(lower.replaceAll("\\s+", "").replaceAll("[\\p{N}\\p{P}\\p{S}]+$", ""));
        for (String candidate : candidates) {
            if (COMMON.contains(candidate)) {
                return Optional.of("This password is too common. Choose one that is harder to guess.");
            }
        }
        Set<String> context = new HashSet<>(SERVICE_WORDS);
        for (String word : contextWords) {
            if (word == null || word.isBlank()) {
                continue;
            }
            String w = Normalizer.normalize(word, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
            context.add(w);
            context.add(w.replaceAll("\\s+", ""));
            int at = w.indexOf('@');
            if (at > 0) {
                context.add(w.substring(0, at));
            }
        }
        for (String candidate : candidates) {
            if (!candidate.isEmpty() && context.contains(candidate)) {
                return Optional.of("Do not use your username, your name or the name of this service as your password.");
            }
        }
        return Optional.empty();
    }

    public static int blocklistSize() {
        return COMMON.size();
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(BLOCKLIST)) {
            if (in == null) {
                throw new IllegalStateException("the password blocklist " + BLOCKLIST + " is missing");
            }
            Set<String> words = new HashSet<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String word = line.strip();
                    if (!word.isEmpty() && !word.startsWith("#")) {
                        words.add(Normalizer.normalize(word, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
                    }
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
