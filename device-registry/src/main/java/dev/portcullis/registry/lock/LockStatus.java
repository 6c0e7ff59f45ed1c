package dev.portcullis.registry.lock;

/** Where a lock is in its life: registered and waiting for its one-time enrollment, in service, or retired. */
public enum LockStatus {
    PENDING_ENROLLMENT,
    ENROLLED,
    RETIRED
}
