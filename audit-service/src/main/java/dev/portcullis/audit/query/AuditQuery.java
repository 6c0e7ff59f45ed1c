package dev.portcullis.audit.query;

import dev.portcullis.audit.chain.AuditEntryEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class AuditQuery {

    @Inject
    AuditQueryRepository repository;

    public Uni<AuditPage> page(Caller caller, AuditFilter filter) {
        // One more than asked tells whether another page exists.
        return repository.find(caller, filter, filter.limit() + 1).flatMap(rows -> {
            boolean more = rows.size() > filter.limit();
            List<AuditEntryEntity> page = rows.stream().limit(filter.limit()).toList();
            // An entry about one credential (a lock event, a state change) says how it is used: the method it was issued with.
            Set<String> credentials = new HashSet<>();
            for (AuditEntryEntity entry : page) {
                List<String> ids = AuditEntryView.credentialIds(entry);
                if (entry.method == null && ids.size() == 1) {
                    credentials.add(ids.get(0));
                }
            }
            return repository.issuedMethods(caller.organizationId(), credentials).map(methods -> {
                List<AuditEntryView> entries = page.stream().map(entry -> AuditEntryView.of(entry, methods)).toList();
                return new AuditPage(entries, more ? entries.get(entries.size() - 1).sequence() : null);
            });
        });
    }
}
