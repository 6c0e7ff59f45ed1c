package dev.portcullis.lock.protocol;

import dev.portcullis.lock.protocol.wire.Action;

/** What a command asks the lock to do. */
public enum LockCommandAction {
    UNLOCK(Action.ACTION_UNLOCK),
    LOCK(Action.ACTION_LOCK);

    private final Action wire;

    LockCommandAction(Action wire) {
        this.wire = wire;
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
