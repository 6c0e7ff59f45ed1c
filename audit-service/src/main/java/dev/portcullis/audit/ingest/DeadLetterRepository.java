package dev.portcullis.audit.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

@ApplicationScoped
public class DeadLetterRepository implements PanacheRepository<DeadLetterEntity> {

    private static final int MAX_ERROR_LENGTH = 1000;

    /** Keeps the record unless this very record (topic, partition, offset) is already kept; null then. */
    @WithSession
    public Uni<DeadLetterEntity> insertIfAbsent(ReceivedRecord record, String error) {
        return find("topic = ?1 and partition = ?2 and offset = ?3", record.topic(), record.partition(), record.offset())
                .firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().nullItem();
                    }
                    DeadLetterEntity row = new DeadLetterEntity();
                    row.topic = record.topic();
                    row.partition = record.partition();
                    row.offset = record.offset();
                    row.payload = record.value();
                    row.error = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
                    row.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return persist(row).call(ignored -> flush()).replaceWith(row);
                });
    }
}
