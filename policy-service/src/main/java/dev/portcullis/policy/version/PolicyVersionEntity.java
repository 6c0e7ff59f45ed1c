package dev.portcullis.policy.version;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

@Entity
@Table(name = "policy_version")
public class PolicyVersionEntity {

    @Id
    @Column(name = "organization_id")
    public UUID organizationId;

    @Column(nullable = false)
    public long version;
}
