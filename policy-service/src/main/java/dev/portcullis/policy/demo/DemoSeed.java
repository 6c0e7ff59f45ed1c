package dev.portcullis.policy.demo;

import dev.portcullis.kit.demo.DemoPortfolio;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.grant.WeeklyWindow;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Seeds the demo portfolio when one is configured: its property, its doors (a door with sign-in
 * requirements gets a tier of its own) and the demo tenant's grants. Repeatable: seeding again changes
 * nothing but the version.
 */
@ApplicationScoped
public class DemoSeed {

    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    @Inject
    DemoPortfolio demo;

    @Inject
    Pool pool;

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!demo.enabled()) {
            return;
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(this::seed));
        LOG.infof("demo portfolio seeded: %d doors", demo.doors().map(List::size).orElse(0));
    }

    private Uni<Void> seed(SqlConnection c) {
        UUID org = UUID.fromString(demo.organization().orElseThrow().id());
        DemoPortfolio.Property property = demo.property().orElseThrow();
        UUID propertyId = UUID.fromString(property.id());
        String zone = ZoneId.of(property.timeZone()).getId();
        Uni<?> chain = c.preparedQuery("INSERT INTO property (id, organization_id, name, time_zone) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone")
                .execute(Tuple.of(propertyId, org, property.name(), zone));
        for (DemoPortfolio.Door door : demo.doors().orElse(List.of())) {
            UUID doorId = UUID.fromString(door.id());
            String acr = door.requiredAcr().orElse(null);
            Integer maxAge = door.maxAuthAge().map(age -> Math.toIntExact(age.toSeconds())).orElse(null);
            UUID tierId = acr == null && maxAge == null ? null : uuid("demo-tier:" + doorId);
            if (tierId != null) {
                chain = chain.flatMap(x -> c.preparedQuery("INSERT INTO tier (id, organization_id, name, required_acr, max_auth_age_seconds) "
                        + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET required_acr = EXCLUDED.required_acr, "
                        + "max_auth_age_seconds = EXCLUDED.max_auth_age_seconds")
                        .execute(Tuple.of(tierId, org, door.name() + " (sensitive)", acr, maxAge)));
            }
            chain = chain.flatMap(x -> c.preparedQuery("INSERT INTO door (id, organization_id, property_id, name, tier_id) "
                    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, tier_id = EXCLUDED.tier_id")
                    .execute(Tuple.of(doorId, org, propertyId, door.name(), tierId)));
            if (demo.tenant().isPresent()) {
                String tenant = demo.tenant().get().id();
                UUID grantId = uuid("demo-grant:" + tenant + ":" + doorId);
                WeeklySchedule schedule = WeeklySchedule.parse(door.tenantSchedule());
                chain = chain.flatMap(x -> c.preparedQuery("INSERT INTO access_grant (id, organization_id, grantee_kind, grantee_value, door_id) "
                        + "VALUES ($1, $2, 'subject', $3, $4) ON CONFLICT (id) DO NOTHING")
                        .execute(Tuple.of(grantId, org, tenant, doorId)))
                        .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().nullItem()
                                : c.preparedQuery("INSERT INTO grant_window (grant_id, day_of_week, start_minute, end_minute) VALUES ($1, $2, $3, $4)")
                                        .executeBatch(schedule.windows().stream().map(w -> window(grantId, w)).toList()));
            }
        }
        return chain.flatMap(x -> c.preparedQuery("INSERT INTO policy_version (organization_id, version) VALUES ($1, 1) "
                        + "ON CONFLICT (organization_id) DO UPDATE SET version = policy_version.version + 1").execute(Tuple.of(org)))
                .replaceWithVoid();
    }

    private static Tuple window(UUID grantId, WeeklyWindow window) {
        return Tuple.of(grantId, window.day().getValue(), window.startMinute(), window.endMinute());
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
