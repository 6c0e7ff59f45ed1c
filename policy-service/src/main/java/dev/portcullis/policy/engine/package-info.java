/**
 * The policy engine: plain Java, no Quarkus, no database. An immutable {@link dev.portcullis.policy.engine.PolicySnapshot}
 * of one organization's policy data goes in (built from the database by the store and cached in memory);
 * decisions, explanations and reviews come out. Everything a decision needs that changes per request
 * (the instant, the sign-in, the lock's state, use and rate counters) is passed in, so the same snapshot
 * serves every replica and every what-if.
 *
 * <ul>
 *   <li>{@link dev.portcullis.policy.engine.PolicyIndex#of} indexes a snapshot once (about 0.2 s for 100,000 grants);</li>
 *   <li>{@link dev.portcullis.policy.engine.PolicyEngine#decideSafely} decides one request and never throws (DENY
 *       {@code POLICY_UNAVAILABLE} instead); {@link dev.portcullis.policy.engine.PolicyEngine#explain} does the same with
 *       every candidate grant in the trace;</li>
 *   <li>{@link dev.portcullis.policy.engine.AccessReview} answers who can open a door and what a subject can open, with
 *       concrete intervals read exactly as decisions read schedules (DST included);</li>
 *   <li>{@link dev.portcullis.policy.engine.WhatIf#compare} says who gains, loses or keeps changed access under a draft.</li>
 * </ul>
 */
package dev.portcullis.policy.engine;
