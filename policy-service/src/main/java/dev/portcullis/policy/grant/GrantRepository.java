package dev.portcullis.policy.grant;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<AccessGrantEntity, UUID> {

    /** The subject's grants on the door, with their windows, as the decider needs them. */
    @WithSession
    public Uni<List<Grant>> grantsFor(UUID organizationId, String subjectId, UUID doorId) {
        return find("select distinct g from AccessGrantEntity g left join fetch g.windows "
                        + "where g.organizationId = ?1 and g.subjectId = ?2 and g.doorId = ?3",
                organizationId, subjectId, doorId)
                .list()
                .map(rows -> rows.stream().map(AccessGrantEntity::toGrant).toList());
    }

    /** Creates the grant unless one with this id exists (used by seeding, which must be repeatable). */
    @WithSession
    public Uni<Boolean> createIfAbsent(UUID id, UUID organizationId, String subjectId, UUID doorId, WeeklySchedule schedule) {
        return findById(id).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            AccessGrantEntity grant = new AccessGrantEntity();
            grant.id = id;
            grant.organizationId = organizationId;
            grant.subjectId = subjectId;
            grant.doorId = doorId;
            grant.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            schedule.windows().forEach(window -> grant.windows.add(GrantWindowEntity.of(grant, window)));
            return persist(grant).replaceWith(true);
        });
    }
}
