package dev.portcullis.identity.mfa;

import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.oidc.AcrLevels;
import dev.portcullis.identity.oidc.Authentication;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Which assurance an account must reach: its organization may require a second factor for everyone. */
@ApplicationScoped
public class MfaPolicy {

    /** Whether the organization requires MFA ({@code organization.require_mfa}). */
    @WithSession
    public Uni<Boolean> organizationRequiresMfa(UUID organizationId) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select require_mfa from organization where id = :id", Boolean.class)
                .setParameter("id", organizationId)
                .getResultList())
                .map(rows -> !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0)));
    }

    /**
     * The lowest {@code acr} a sign-in of this account may end with: the stronger of what the client
     * asked for ({@code requested}, may be null) and what the organization requires.
     */
    public Uni<String> requiredAcr(AccountEntity account, String requested) {
        return organizationRequiresMfa(account.organizationId)
                .map(required -> stronger(required ? Authentication.AAL2 : null, requested));
    }

    public static String stronger(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return AcrLevels.rank(a) >= AcrLevels.rank(b) ? a : b;
    }
}
