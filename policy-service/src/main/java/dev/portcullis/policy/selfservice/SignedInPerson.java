package dev.portcullis.policy.selfservice;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Anyone signed in to an organization (tenant, guest, staff, operator), from the verified access token: its
 * {@code sub} and {@code org}. Self-service reads answer only about this subject in this organization.
 */
record SignedInPerson(String subject, UUID organizationId) {

    static SignedInPerson of(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw ProblemException.unauthorized("An access token is required");
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 200) {
            throw ProblemException.forbidden("The access token does not name a subject");
        }
        Object org = token.getClaim("org");
        String claimed = org instanceof JsonString json ? json.getString() : org instanceof String text ? text : null;
        try {
            return new SignedInPerson(subject, UUID.fromString(claimed));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.forbidden("The access token does not name an organization");
        }
    }
}
