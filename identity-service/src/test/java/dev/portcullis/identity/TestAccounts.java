package dev.portcullis.identity;

import dev.portcullis.identity.account.Accounts;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpSecrets;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Creates a fresh account per test (its own failure counter and TOTP history) through the service's own code. */
@ApplicationScoped
public class TestAccounts {

    @Inject
    Accounts accounts;

    @Inject
    Clock clock;

    public record TestAccount(UUID id, String username, String password, byte[] totpKey) {
    }

    public TestAccount create(boolean withTotp) {
        UUID id = UUID.randomUUID();
        String username = "user-" + id + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        byte[] key = null;
        if (withTotp) {
            key = new byte[20];
            new SecureRandom().nextBytes(key);
        }
        String secret = key == null ? null : TotpSecrets.encode(key);
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.upsert(new Accounts.AccountDefinition(id,
                    UUID.fromString(IdentityTestProfile.ORG), username, "Test " + id, password, secret, List.of("tenant"))));
            return new TestAccount(id, username, password, key);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public void disable(UUID id) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.setDisabled(id, true));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The code for the current step at the service's clock. */
    public String code(byte[] key) {
        return Totp.code(key, clock.instant());
    }

    /** The code for the step after the current one (accepted, and newer than the current one). */
    public String nextCode(byte[] key) {
        return Totp.code(key, Totp.step(clock.instant()) + 1, Totp.DIGITS, Totp.HMAC_SHA1);
    }

    /** A code that is certainly wrong now (differs from every code in the accepted window). */
    public String wrongCode(byte[] key) {
        long step = Totp.step(clock.instant());
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            boolean inWindow = false;
            for (long s = step - 2; s <= step + 2; s++) {
                inWindow |= code.equals(Totp.code(key, s, Totp.DIGITS, Totp.HMAC_SHA1));
            }
            if (!inWindow) {
                return code;
            }
        }
    }
}
