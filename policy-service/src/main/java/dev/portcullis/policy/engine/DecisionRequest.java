package dev.portcullis.policy.engine;

import java.time.Instant;
import java.util.UUID;

/**
 * One question to the engine: may {@code subjectId} open {@code doorId} at {@code at}, signed in as
 * {@code signIn} says? {@code at} is always policy's own clock for live decisions; explanations and
 * reviews may ask about other instants.
 */
public record DecisionRequest(String subjectId, UUID doorId, Instant at, SignIn signIn) {

    /** How the requester signed in, as the verified access token says: {@code acr} and {@code auth_time} (either may be null). */
    public record SignIn(String acr, Instant authTime) {
        public static final SignIn UNKNOWN = new SignIn(null, null);
    }
}
