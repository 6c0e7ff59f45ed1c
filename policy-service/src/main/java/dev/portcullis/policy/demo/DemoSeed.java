package dev.portcullis.policy.demo;

import dev.portcullis.kit.demo.DemoPortfolio;
import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.door.DoorRepository;
import dev.portcullis.policy.grant.GrantRepository;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.version.PolicyVersionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Seeds the demo portfolio's doors and the demo tenant's grants, when a demo portfolio is configured. */
@ApplicationScoped
public class DemoSeed {

    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    @Inject
    DemoPortfolio demo;

    @Inject
    DoorRepository doors;

    @Inject
    GrantRepository grants;

    @Inject
    PolicyVersionRepository versions;

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!demo.enabled()) {
            return;
        }
        VertxContextSupport.subscribeAndAwait(this::seed);
        LOG.infof("demo portfolio seeded: %d doors", demo.doors().map(List::size).orElse(0));
    }

    @WithTransaction
    Uni<Void> seed() {
        UUID organizationId = UUID.fromString(demo.organization().orElseThrow().id());
        DemoPortfolio.Property property = demo.property().orElseThrow();
        ZoneId zone = ZoneId.of(property.timeZone());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DemoPortfolio.Door door : demo.doors().orElse(List.of())) {
            UUID doorId = UUID.fromString(door.id());
            chain = chain.flatMap(ignored -> doors.upsert(doorId, organizationId, UUID.fromString(property.id()), door.name(), zone,
                    new Assurance(door.requiredAcr().orElse(null), door.maxAuthAge().orElse(null))))
                    .flatMap(ignored -> demo.tenant().isEmpty()
                            ? Uni.createFrom().item(false)
                            : grants.createIfAbsent(grantId(demo.tenant().get().id(), doorId), organizationId,
                                    demo.tenant().get().id(), doorId, WeeklySchedule.parse(door.tenantSchedule())))
                    .replaceWithVoid();
        }
        return chain.flatMap(ignored -> versions.bump(organizationId)).replaceWithVoid();
    }

    private static UUID grantId(String subject, UUID door) {
        return UUID.nameUUIDFromBytes(("demo-grant:" + subject + ":" + door).getBytes(StandardCharsets.UTF_8));
    }
}
