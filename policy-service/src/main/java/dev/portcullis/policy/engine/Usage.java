package dev.portcullis.policy.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The counters a decision reads: uses of use-limited grants, and a subject's recent permits (rate limit). */
public interface Usage {

    /** How many permits the grant has given so far (only asked for grants with a use limit). */
    int usesOf(UUID grantId);

    /** How many permits the subject got in {@code (at - window, at]}. */
    int permitsOf(String subjectId, Instant at, Duration window);

    Usage NONE = new Usage() {
        @Override
        public int usesOf(UUID grantId) {
            return 0;
        }

        @Override
        public int permitsOf(String subjectId, Instant at, Duration window) {
            return 0;
        }
    };
}
