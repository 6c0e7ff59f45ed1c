package dev.portcullis.audit.alert;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An alert's acknowledgement (written by {@link Acknowledgements} with its audit entry; read here). */
@Entity
@Table(name = "alert_acknowledgement")
public class AcknowledgementEntity {

    @Id
    @Column(name = "alert_id")
    public UUID alertId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "acknowledged_by", nullable = false)
    public String acknowledgedBy;

    @Column(name = "acknowledged_at", nullable = false)
    public OffsetDateTime acknowledgedAt;

    public String note;

    @Column(name = "audit_sequence", nullable = false)
    public long auditSequence;

    AcknowledgementView view() {
        return new AcknowledgementView(acknowledgedBy, acknowledgedAt.toInstant(), note, auditSequence);
    }
}
