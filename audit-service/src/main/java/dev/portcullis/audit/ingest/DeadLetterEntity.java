package dev.portcullis.audit.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A record that could not become an audit entry, kept with its bytes for an operator. */
@Entity
@Table(name = "dead_letter")
public class DeadLetterEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "kafka_partition", nullable = false)
    public int partition;

    @Column(name = "kafka_offset", nullable = false)
    public long offset;

    public byte[] payload;

    @Column(nullable = false)
    public String error;

    @Column(name = "received_at", nullable = false)
    public OffsetDateTime receivedAt;
}
