package dev.portcullis.command.partner;

import dev.portcullis.command.unlock.AttemptChangeFeed.SlowWatcherException;
import dev.portcullis.kit.problem.ProblemException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.security.AuthenticationFailedException;
import org.jboss.logging.Logger;

/** The REST API's problems as gRPC statuses, with the problem's detail as the description; never a stack trace. */
public final class GrpcProblems {

    private static final Logger LOG = Logger.getLogger(GrpcProblems.class);

    private GrpcProblems() {
    }

    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof ProblemException problem) {
            return status(problem).withDescription(problem.getMessage()).asRuntimeException();
        }
        if (failure instanceof SlowWatcherException slow) {
            return Status.RESOURCE_EXHAUSTED.withDescription(slow.getMessage()).asRuntimeException();
        }
        if (failure instanceof AuthenticationFailedException) {
            return Status.UNAUTHENTICATED.withDescription("The access token was refused").asRuntimeException();
        }
        LOG.error("partner gRPC call failed", failure);
        return Status.INTERNAL.withDescription("Internal error").asRuntimeException();
    }

    static Status status(ProblemException problem) {
        return switch (problem.status()) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> problem.toProblem(null).type().endsWith("/idempotency-key-reused") ? Status.ALREADY_EXISTS
                    : Status.FAILED_PRECONDITION;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> problem.status() >= 500 ? Status.INTERNAL : Status.FAILED_PRECONDITION;
        };
    }
}
