package dev.portcullis.lock.protocol;

/**
 * Who asked for a command, carried encrypted to the lock so its own log can attribute the actuation.
 *
 * @param organizationId  the requester's organization
 * @param subjectId       the requester (OIDC {@code sub}, or a partner client id)
 * @param method          how the request arrived / was authenticated, e.g. "app", "partner"
 * @param actionAttemptId the platform's action attempt this command belongs to
 */
public record Attribution(String organizationId, String subjectId, String method, String actionAttemptId) {

    public Attribution {
        organizationId = organizationId == null ? "" : organizationId;
        subjectId = subjectId == null ? "" : subjectId;
        method = method == null ? "" : method;
        actionAttemptId = actionAttemptId == null ? "" : actionAttemptId;
    }
}
