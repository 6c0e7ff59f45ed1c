package dev.portcullis.registry.demo;

import dev.portcullis.kit.demo.DemoPortfolio;
import dev.portcullis.registry.enrollment.EnrollmentConfig;
import dev.portcullis.registry.enrollment.EnrollmentSecretRepository;
import dev.portcullis.registry.enrollment.EnrollmentSecrets;
import dev.portcullis.registry.lock.LockRepository;
import dev.portcullis.registry.lock.LockStatus;
import dev.portcullis.registry.portfolio.DoorRepository;
import dev.portcullis.registry.portfolio.PropertyRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Seeds the demo portfolio when one is configured: the property, its doors, a lock per door waiting
 * for enrollment, and each lock's one-time enrollment secret (stored as a hash). Idempotent: an
 * enrolled (or retired) lock is left exactly as it is; a lock still pending gets the configured secret
 * re-issued (fresh expiry, no failed attempts).
 */
@ApplicationScoped
public class DemoSeed {

    /** The model recorded for the demo's simulated locks. */
    public static final String DEMO_LOCK_MODEL = "portcullis-simulated-lock";

    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    @Inject
    DemoPortfolio demo;

    @Inject
    EnrollmentConfig enrollment;

    @Inject
    PropertyRepository properties;

    @Inject
    DoorRepository doors;

    @Inject
    dev.portcullis.kit.outbox.Outbox outbox;

    @Inject
    LockRepository locks;

    @Inject
    EnrollmentSecretRepository secrets;

    @Inject
    Clock clock;

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!demo.enabled()) {
            return;
        }
        for (DemoPortfolio.Door door : demo.doors().orElse(List.of())) {
            if (door.enrollmentSecret() == null || door.enrollmentSecret().length() < enrollment.minimumSecretLength()) {
                throw new IllegalStateException("the demo enrollment secret of door " + door.id() + " is shorter than "
                        + enrollment.minimumSecretLength() + " characters; generate a random one");
            }
        }
        int pending = VertxContextSupport.subscribeAndAwait(this::seed);
        LOG.infof("demo portfolio seeded: %d doors, %d locks awaiting enrollment",
                demo.doors().map(List::size).orElse(0), pending);
    }

    /** Returns how many locks are (still) waiting for enrollment. */
    @WithTransaction
    Uni<Integer> seed() {
        UUID organizationId = UUID.fromString(demo.organization().orElseThrow().id());
        DemoPortfolio.Property property = demo.property().orElseThrow(
                () -> new IllegalStateException("portcullis.demo.property is required with a demo organization"));
        UUID propertyId = UUID.fromString(property.id());
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        OffsetDateTime expiresAt = now.plus(enrollment.secretLifetime());
        int[] pending = {0};
        Uni<?> chain = properties.upsert(propertyId, organizationId, property.name(), ZoneId.of(property.timeZone()));
        for (DemoPortfolio.Door door : demo.doors().orElse(List.of())) {
            UUID doorId = UUID.fromString(door.id());
            UUID lockId = UUID.fromString(door.lockId());
            byte[] secretHash = EnrollmentSecrets.hash(door.enrollmentSecret());
            // a fixed event id per demo door: a re-seed repeats the same event, which consumers deduplicate
            UUID doorEvent = UUID.nameUUIDFromBytes(("demo-door-changed/" + doorId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            chain = chain.flatMap(ignored -> doors.upsert(doorId, organizationId, propertyId, door.name()))
                    .flatMap(ignored -> outbox.count("eventId", doorEvent))
                    .flatMap(seen -> seen > 0 ? Uni.createFrom().voidItem() : outbox.append(dev.portcullis.registry.admin.Events.TOPIC,
                            doorId.toString(), doorEvent, "door_changed", dev.portcullis.proto.events.v1.EventEnvelope.newBuilder()
                                    .setEventId(doorEvent.toString()).setOrganizationId(organizationId.toString())
                                    .setOccurredAt(dev.portcullis.registry.admin.Events.timestamp(now.toInstant()))
                                    .setActor(dev.portcullis.proto.common.v1.Actor.newBuilder()
                                            .setType(dev.portcullis.proto.common.v1.ActorType.ACTOR_TYPE_SERVICE)
                                            .setId(dev.portcullis.registry.admin.Events.SOURCE).setOrganizationId(organizationId.toString()))
                                    .setSource(dev.portcullis.registry.admin.Events.SOURCE)
                                    .setDoorChanged(dev.portcullis.proto.events.v1.DoorChanged.newBuilder().setDoorId(doorId.toString())
                                            .setPropertyId(propertyId.toString()).setName(door.name()).setOperation("created"))
                                    .build()).replaceWithVoid())
                    .flatMap(ignored -> locks.registerIfAbsent(lockId, organizationId, doorId, DEMO_LOCK_MODEL))
                    .flatMap(lock -> {
                        if (lock.status != LockStatus.PENDING_ENROLLMENT) {
                            return Uni.createFrom().voidItem();
                        }
                        pending[0]++;
                        return secrets.issue(lockId, secretHash, now, expiresAt, null).replaceWithVoid();
                    });
        }
        return chain.map(ignored -> pending[0]);
    }
}
