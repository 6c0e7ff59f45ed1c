package dev.portcullis.identity;

import dev.portcullis.identity.account.Accounts;
import dev.portcullis.identity.mfa.TotpSecrets;
import javax.sql.DataSource;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Organizations that require MFA, accounts in them, TOTP set by an operator, and outbox look-ups. */
@ApplicationScoped
public class MfaFixtures {

    @Inject
    Accounts accounts;

    @Inject
    DataSource dataSource;

    /** A new organization; {@code requireMfa} set directly in the table. */
    public UUID organization(boolean requireMfa) {
        UUID id = UUID.randomUUID();
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.upsertOrganization(id, "Org " + id));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        update("update organization set require_mfa = ? where id = ?", requireMfa, id);
        return id;
    }

    /** A new account in the organization, without TOTP. */
    public TestAccounts.TestAccount account(UUID organizationId) {
        UUID id = UUID.randomUUID();
        String username = "mfa-" + id + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        define(id, organizationId, username, password, null);
        return new TestAccounts.TestAccount(id, username, password, null);
    }

    /** Sets a TOTP seed on the account the way an operator (or the demo seed) would. */
    public TestAccounts.TestAccount withTotp(TestAccounts.TestAccount account, UUID organizationId, byte[] key) {
        define(account.id(), organizationId, account.username(), account.password(), TotpSecrets.encode(key));
        return new TestAccounts.TestAccount(account.id(), account.username(), account.password(), key);
    }

    private void define(UUID id, UUID organizationId, String username, String password, String secret) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.upsert(new Accounts.AccountDefinition(id, organizationId, username,
                    "Test " + id, password, secret, List.of("tenant"))));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event types the outbox holds for this record key, oldest first. */
    public List<String> outboxEventTypes(String key) {
        return strings("select event_type from outbox_event where record_key = ? order by id", key);
    }

    public List<String> strings(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
