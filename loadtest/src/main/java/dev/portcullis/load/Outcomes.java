package dev.portcullis.load;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names what came back, so the report can count failures by kind. */
final class Outcomes {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern REASONS = Pattern.compile("\"reasons\"\\s*:\\s*\\[([^\\]]*)\\]");
    /** The last path segment of a problem's type URI, e.g. "overloaded". */
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*?([a-z-]+)\"");
    private static final Pattern LIMIT = Pattern.compile("\"limit\"\\s*:\\s*\"([a-z]+)\"");

    private Outcomes() {
    }

    /** An unlock counts as done only when the lock acknowledged it: 201 with status {@code succeeded}. */
    static String ofUnlock(int status, String body) {
        return switch (status) {
            case 201 -> {
                String attempt = find(STATUS, body);
                yield "succeeded".equals(attempt) ? OpenLoop.OK : "201 " + attempt;
            }
            case 403 -> "403 " + find(REASONS, body).replace("\"", "");
            case 429 -> "429 " + find(LIMIT, body);
            case 503 -> "503 " + find(TYPE, body);
            default -> "http " + status;
        };
    }

    static String ofFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connect refused";
        }
        return cause.getClass().getSimpleName();
    }

    private static String find(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body == null ? "" : body);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
