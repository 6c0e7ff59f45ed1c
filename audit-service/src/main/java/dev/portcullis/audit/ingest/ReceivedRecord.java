package dev.portcullis.audit.ingest;

/** A Kafka record as received: where it came from and its exact value bytes (null for a tombstone). */
public record ReceivedRecord(String topic, int partition, long offset, byte[] value) {

    /** Where the record sits, for logs; never its content. */
    public String describe() {
        return topic + "-" + partition + "@" + offset;
    }
}
