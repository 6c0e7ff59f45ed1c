package dev.portcullis.audit.alert;

import dev.portcullis.audit.chain.EntryColumns;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates the alert rules on each recorded entry (and again on a redelivered one, in case the first
 * evaluation never committed: raising is idempotent per (kind, entry), so that adds nothing).
 *
 * <p>Repeated denials: the entry that is the {@code denial-threshold}-th denial for its door (or its
 * subject) within {@code denial-window} before it raises the alert; counted over entries up to this
 * one, so a redelivery counts the same.
 */
@ApplicationScoped
public class AlertFeed {

    @Inject
    Alerts alerts;

    @Inject
    AlertConfig config;

    /** A recorded entry and its sequence. */
    public record Recorded(EntryColumns entry, long sequence) {
    }

    @WithTransaction
    public Uni<Void> onEntry(EntryColumns entry, long sequence) {
        return evaluate(entry, sequence);
    }

    /**
     * The rules over a batch's entries, in order, in one transaction; none when no entry can raise an alert
     * (most entries: no database work at all).
     */
    public Uni<Void> onEntries(List<Recorded> entries) {
        List<Recorded> candidates = entries.stream().filter(recorded -> mayAlert(recorded.entry())).toList();
        if (candidates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Recorded recorded : candidates) {
                all = all.chain(() -> evaluate(recorded.entry(), recorded.sequence()));
            }
            return all;
        });
    }

    private static boolean mayAlert(EntryColumns entry) {
        return entry.organizationId() != null && (AlertRules.immediate(entry).isPresent() || AlertRules.isDenial(entry));
    }

    private Uni<Void> evaluate(EntryColumns entry, long sequence) {
        if (entry.organizationId() == null) {
            return Uni.createFrom().voidItem();
        }
        Optional<AlertKind> immediate = AlertRules.immediate(entry);
        if (immediate.isPresent()) {
            String detail = entry.reasons().isEmpty() ? null : entry.reasons().get(0);
            return alerts.raise(draft(immediate.get(), entry, sequence, entry.actorType() != null
                    && !"lock".equals(entry.actorType()) ? entry.actorId() : null, detail)).replaceWithVoid();
        }
        if (AlertRules.isDenial(entry)) {
            return repeatedDenials(entry, sequence);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> repeatedDenials(EntryColumns entry, long sequence) {
        Instant at = entry.occurredAt() != null ? entry.occurredAt() : Instant.now();
        List<Uni<Void>> checks = new ArrayList<>();
        if (entry.doorId() != null) {
            checks.add(denials("doorId", entry, sequence, at).chain(count -> count == config.denialThreshold()
                    ? alerts.raise(draft(AlertKind.REPEATED_DENIALS, entry, sequence, null,
                            count + " denials at this door within " + config.denialWindow())).replaceWithVoid()
                    : Uni.createFrom().voidItem()));
        }
        if (entry.actorId() != null) {
            // Keyed on the entry too, but a different kind of source: 'entry:<n>:subject'.
            checks.add(denials("actorId", entry, sequence, at).chain(count -> count == config.denialThreshold()
                    ? alerts.raise(new AlertDraft(AlertKind.REPEATED_DENIALS, entry.organizationId(), entry.doorId(), null,
                            entry.actorId(), count + " denials for this subject within " + config.denialWindow(),
                            AlertDraft.entrySource(sequence) + ":subject", sequence, entry.eventId(), entry.occurredAt()))
                            .replaceWithVoid()
                    : Uni.createFrom().voidItem()));
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Uni<Void> check : checks) {
            all = all.chain(() -> check);
        }
        return all;
    }

    /** Denials with the same door (or actor) in the window ending at this entry, this entry included. */
    private Uni<Long> denials(String field, EntryColumns entry, long sequence, Instant at) {
        String value = field.equals("doorId") ? entry.doorId() : entry.actorId();
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "select count(*) from AuditEntryEntity where organizationId = :organization and " + field + " = :value"
                                + " and eventType = :type and outcome = :outcome and sequence <= :sequence"
                                + " and occurredAt > :from and occurredAt <= :to", Long.class)
                .setParameter("organization", entry.organizationId())
                .setParameter("value", value)
                .setParameter("type", AlertRules.UNLOCK_DECIDED)
                .setParameter("outcome", AlertRules.DENIED)
                .setParameter("sequence", sequence)
                .setParameter("from", at.minus(config.denialWindow()).atOffset(ZoneOffset.UTC))
                .setParameter("to", at.atOffset(ZoneOffset.UTC))
                .getSingleResult());
    }

    private static AlertDraft draft(AlertKind kind, EntryColumns entry, long sequence, String subject, String detail) {
        return new AlertDraft(kind, entry.organizationId(), entry.doorId(), entry.lockId(), subject, detail,
                AlertDraft.entrySource(sequence), sequence, entry.eventId(), entry.occurredAt());
    }
}
