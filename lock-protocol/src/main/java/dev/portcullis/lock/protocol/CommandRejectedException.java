package dev.portcullis.lock.protocol;

import java.util.Objects;

/** A lock refused a command; {@link #reason()} is what goes into the signed refusal. */
public final class CommandRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    public CommandRejectedException(RejectionReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectionReason reason() {
        return reason;
    }
}
