package dev.portcullis.audit.alert;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A webhook an organization's operators registered for alerts. Deleting it marks it deleted (deliveries refer to it). */
@Entity
@Table(name = "webhook_subscription")
public class WebhookSubscriptionEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String url;

    /** Wire names of the kinds delivered; empty: every kind. */
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] kinds;

    @Column(name = "secret_encrypted", nullable = false)
    public byte[] secretEncrypted;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public boolean wants(AlertKind kind) {
        if (kinds == null || kinds.length == 0) {
            return true;
        }
        for (String wanted : kinds) {
            if (wanted.equals(kind.wireName())) {
                return true;
            }
        }
        return false;
    }
}
