package dev.portcullis.identity.mfa;

import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.codec.binary.Base32;

/**
 * Recovery codes (NIST SP 800-63B §5.1.2 look-up secrets): ten per account, 120 random bits each
 * (24 base32 characters, shown in groups of four), shown once, stored as SHA-256 — with at least 112
 * bits of entropy a plain hash is enough (§5.1.2.2) — and accepted once each. Generating a new set
 * replaces the old one.
 */
@ApplicationScoped
public class RecoveryCodes {

    public static final int COUNT = 10;
    private static final int BYTES = 15;
    private static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;

    /** Replaces the account's codes with a new set, inside the caller's transaction; returns them for display. */
    @WithSession
    public Uni<List<String>> regenerate(UUID accountId) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<String> codes = new ArrayList<>();
        List<RecoveryCodeEntity> rows = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            byte[] bytes = new byte[BYTES];
            RANDOM.nextBytes(bytes);
            String raw = new Base32().encodeToString(bytes).toLowerCase(Locale.ROOT);
            codes.add(String.join("-", raw.split("(?<=\\G.{4})")));
            RecoveryCodeEntity row = new RecoveryCodeEntity();
            row.codeHash = Tokens.storageKey(raw);
            row.accountId = accountId;
            row.createdAt = now;
            rows.add(row);
        }
        return Panache.getSession().flatMap(session -> session
                        .createMutationQuery("delete from RecoveryCodeEntity where accountId = :account")
                        .setParameter("account", accountId).executeUpdate()
                        .flatMap(ignored -> session.persistAll(rows.toArray()))
                        .flatMap(ignored -> session.flush()))
                .replaceWith(codes);
    }

    /**
     * Spends the code if it is one of the account's unused codes, inside the caller's transaction
     * (a conditional update, so two parallel uses cannot both succeed). True when it was accepted.
     */
    @WithSession
    public Uni<Boolean> consume(UUID accountId, String submitted) {
        String normalized = normalize(submitted);
        if (normalized == null) {
            return Uni.createFrom().item(false);
        }
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return Panache.getSession().flatMap(session -> session
                .createMutationQuery("update RecoveryCodeEntity set usedAt = :now"
                        + " where codeHash = :hash and accountId = :account and usedAt is null")
                .setParameter("now", now)
                .setParameter("hash", Tokens.storageKey(normalized))
                .setParameter("account", accountId)
                .executeUpdate())
                .map(updated -> updated == 1);
    }

    /** How many unused codes the account has. */
    @WithSession
    public Uni<Long> remaining(UUID accountId) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select count(*) from RecoveryCodeEntity where accountId = :account and usedAt is null",
                        Long.class)
                .setParameter("account", accountId)
                .getSingleResult());
    }

    /** Lower case without separators, or null when it cannot be a recovery code. */
    static String normalize(String submitted) {
        if (submitted == null || submitted.length() > 64) {
            return null;
        }
        String clean = submitted.replace("-", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
        if (clean.length() != LENGTH || !clean.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
            return null;
        }
        return clean;
    }

    /** Whether the input has the shape of a recovery code (rather than a 6-digit TOTP code). */
    public static boolean looksLikeRecoveryCode(String submitted) {
        return normalize(submitted) != null;
    }
}
