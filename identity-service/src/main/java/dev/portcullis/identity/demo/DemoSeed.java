package dev.portcullis.identity.demo;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.Accounts;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.partner.DemoPartner;
import dev.portcullis.kit.demo.DemoPortfolio;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Seeds the demo organization, its tenant account (password + TOTP, role {@code tenant}) and the CLI's
 * public client, when a demo portfolio with an organization and a tenant is configured. Idempotent: a
 * re-run sets the configured password and TOTP secret on the existing account. When configured
 * ({@code portcullis.demo.operator.*}), an operator account (role {@code operator}) is seeded the same way, and
 * with {@code portcullis.identity.demo-console-redirect-uri} the operator console's public client.
 */
@ApplicationScoped
public class DemoSeed {

    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    public static final String CLI_CLIENT = "portcullis-cli";
    public static final String CLI_REDIRECT = "http://127.0.0.1:53682/callback";
    public static final String E2E_CLIENT = "portcullis-e2e";
    public static final String E2E_REDIRECT = "http://127.0.0.1:53683/callback";
    public static final String CONSOLE_CLIENT = "portcullis-console";
    public static final List<String> CONSOLE_SCOPES = List.of("openid", "profile");
    public static final List<String> SCOPES = List.of("openid", "profile", "unlock", "offline_access");

    @Inject
    DemoPortfolio demo;

    @Inject
    IdentityConfig config;

    @Inject
    Accounts accounts;

    @Inject
    OAuthClients clients;

    @Inject
    DemoPartner partner;

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (demo.organization().isEmpty() || demo.tenant().isEmpty()) {
            return;
        }
        VertxContextSupport.subscribeAndAwait(this::seed);
        LOG.infof("demo organization, tenant account and client %s seeded%s", CLI_CLIENT,
                config.seedE2eClient() ? " (and " + E2E_CLIENT + ")" : "");
    }

    Uni<Void> seed() {
        DemoPortfolio.Organization organization = demo.organization().orElseThrow();
        DemoPortfolio.Tenant tenant = demo.tenant().orElseThrow();
        UUID organizationId = UUID.fromString(organization.id());
        Uni<Void> chain = accounts.upsertOrganization(organizationId, organization.name())
                .flatMap(ignored -> accounts.upsert(new Accounts.AccountDefinition(UUID.fromString(tenant.id()), organizationId,
                        tenant.username(), tenant.displayName(), tenant.password(), tenant.totpSecret(), List.of("tenant"))))
                .flatMap(ignored -> clients.register(new OAuthClients.Registration(CLI_CLIENT, "Portcullis CLI",
                        List.of(CLI_REDIRECT), SCOPES, null)))
                .replaceWithVoid();
        if (demo.operator().isPresent()) {
            DemoPortfolio.Tenant operator = demo.operator().get();
            chain = chain.flatMap(ignored -> accounts.upsert(new Accounts.AccountDefinition(UUID.fromString(operator.id()),
                    organizationId, operator.username(), operator.displayName(), operator.password(), operator.totpSecret(),
                    List.of("operator")))).replaceWithVoid();
        }
        if (config.seedE2eClient()) {
            chain = chain.flatMap(ignored -> clients.register(new OAuthClients.Registration(E2E_CLIENT,
                    "Portcullis end-to-end suite", List.of(E2E_REDIRECT), SCOPES, null))).replaceWithVoid();
        }
        if (config.demoConsoleRedirectUri().isPresent()) {
            String redirect = config.demoConsoleRedirectUri().get();
            chain = chain.flatMap(ignored -> clients.register(new OAuthClients.Registration(CONSOLE_CLIENT,
                    "Portcullis operator console", List.of(redirect), CONSOLE_SCOPES, null))).replaceWithVoid();
        }
        if (config.partners().demoJwksFile().isPresent()) {
            java.nio.file.Path jwks = config.partners().demoJwksFile().get();
            chain = chain.flatMap(ignored -> partner.seed(jwks, organizationId));
        }
        return chain;
    }
}
