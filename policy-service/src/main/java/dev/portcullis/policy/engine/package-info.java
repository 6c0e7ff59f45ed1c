/**
 * The policy engine: plain Java, no Quarkus, no database. An immutable {@link dev.portcullis.policy.engine.PolicySnapshot}
 * of one organization's policy data goes in (built from the database by the store and cached in memory);
 * decisions, explanations and reviews come out. Everything a decision needs that changes per request
 * (the instant, the sign-in, the lock's state, use and rate counters) is passed in, so the same snapshot
 * serves every replica and every what-if.
 */
package dev.portcullis.policy.engine;
