package dev.portcullis.audit.chain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The newest entry's sequence and hash (0 and 32 zero bytes while the log is empty). Appenders lock
 * this one row; the database moves it when an entry is inserted (trigger {@code audit_entry_extends_head}).
 */
@Entity
@Table(name = "chain_head")
public class ChainHeadEntity {

    public static final short ID = 1;

    @Id
    public Short id;

    @Column(nullable = false, insertable = false, updatable = false)
    public long sequence;

    @Column(nullable = false, insertable = false, updatable = false)
    public byte[] hash;
}
