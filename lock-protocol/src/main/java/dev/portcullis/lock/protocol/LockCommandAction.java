package dev.portcullis.lock.protocol;

import dev.portcullis.lock.protocol.wire.Action;

/** What a command asks the lock to do. */
public enum LockCommandAction {
    UNLOCK(Action.ACTION_UNLOCK),
    LOCK(Action.ACTION_LOCK),
    /** Add a credential, or replace the one with the same id (the command carries the whole credential). */
    CREDENTIAL_PUT(Action.ACTION_CREDENTIAL_PUT),
    /** Remove a credential (the command carries its id); removing one the lock lacks succeeds. */
    CREDENTIAL_REMOVE(Action.ACTION_CREDENTIAL_REMOVE);

    private final Action wire;

    LockCommandAction(Action wire) {
        this.wire = wire;
    }

    /** Whether the command carries a credential. */
    public boolean isCredentialChange() {
        return this == CREDENTIAL_PUT || this == CREDENTIAL_REMOVE;
    }

    Action toWire() {
        return wire;
    }

    /** Null for anything this version does not know. */
    static LockCommandAction fromWire(Action action) {
        for (LockCommandAction candidate : values()) {
            if (candidate.wire == action) {
                return candidate;
            }
        }
        return null;
    }
}
