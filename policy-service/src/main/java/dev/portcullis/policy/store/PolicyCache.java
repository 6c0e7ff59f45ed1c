package dev.portcullis.policy.store;

import dev.portcullis.policy.engine.PolicyIndex;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Each organization's indexed policy, held in memory by this replica and built once per version.
 * An entry is dropped (and rebuilt on the next decision) right after a local change commits, when a
 * {@code PolicyChanged} event from any replica names a newer version, and when the periodic version
 * check finds the database ahead (the backstop for a lost event).
 */
@ApplicationScoped
public class PolicyCache {

    private static final Logger LOG = Logger.getLogger(PolicyCache.class);

    @Inject
    SnapshotLoader loader;

    @Inject
    UsageCounters usage;

    @Inject
    Pool pool;

    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong eventsSeen = new AtomicLong();

    /** One organization's index; -1 while still loading. */
    private record Entry(Uni<PolicyIndex> index, AtomicLong version) {
    }

    public Uni<PolicyIndex> index(UUID organizationId) {
        Entry cached = entries.get(organizationId);
        if (cached != null) {
            return cached.index();
        }
        AtomicLong version = new AtomicLong(-1);
        Entry[] self = new Entry[1];
        Uni<PolicyIndex> loading = usage.loadUses(organizationId)
                .flatMap(ignored -> loader.load(organizationId))
                .map(PolicyIndex::of)
                .invoke(index -> version.set(index.version()))
                .onFailure().invoke(failure -> {
                    LOG.warnf("loading the policy of organization %s failed: %s", organizationId, failure.toString());
                    entries.remove(organizationId, self[0]);
                })
                .memoize().indefinitely();
        self[0] = new Entry(loading, version);
        Entry existing = entries.putIfAbsent(organizationId, self[0]);
        return existing != null ? existing.index() : loading;
    }

    /** A change of this organization's policy committed here: the next decision reads it afresh. */
    public void invalidate(UUID organizationId) {
        entries.remove(organizationId);
    }

    /** Some replica committed {@code version}: drop an older (or still loading) index. */
    public void changed(UUID organizationId, long version) {
        eventsSeen.incrementAndGet();
        Entry entry = entries.get(organizationId);
        if (entry != null && entry.version().get() < version) {
            entries.remove(organizationId, entry);
        }
    }

    /** How many change events this replica has heard (tests wait for the listener to be live). */
    public long eventsSeen() {
        return eventsSeen.get();
    }

    @Scheduled(every = "${portcullis.policy.cache.version-check-interval:5s}", delayed = "${portcullis.policy.cache.version-check-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkVersions() {
        List<UUID> organizations = List.copyOf(entries.keySet());
        if (organizations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT organization_id, version FROM policy_version WHERE organization_id = ANY($1)")
                .execute(Tuple.of(organizations.toArray(UUID[]::new)))
                .invoke(rows -> rows.forEach(row -> {
                    UUID org = row.getUUID("organization_id");
                    Entry entry = entries.get(org);
                    long current = row.getLong("version");
                    if (entry != null && entry.version().get() >= 0 && entry.version().get() != current) {
                        LOG.infof("policy of organization %s is at version %d, cached %d: reloading", org, current, entry.version().get());
                        entries.remove(org, entry);
                    }
                }))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("policy version check failed: %s", failure.toString());
                    return null;
                });
    }
}
