package dev.portcullis.audit.query;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

@ApplicationScoped
public class AuditQuery {

    @Inject
    AuditQueryRepository repository;

    public Uni<AuditPage> page(Caller caller, AuditFilter filter) {
        // One more than asked tells whether another page exists.
        return repository.find(caller, filter, filter.limit() + 1).map(rows -> {
            boolean more = rows.size() > filter.limit();
            List<AuditEntryView> entries = rows.stream().limit(filter.limit()).map(AuditEntryView::of).toList();
            return new AuditPage(entries, more ? entries.get(entries.size() - 1).sequence() : null);
        });
    }
}
