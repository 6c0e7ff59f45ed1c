package dev.portcullis.kit.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.CompositeException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    /**
     * What Hibernate Reactive reports when PostgreSQL is stopped under a transaction (seen in fault scenario 3):
     * the reset connection and the failed rollback together. It is an unavailable dependency (503), not a 500.
     */
    @Test
    void aConnectionResetUnderATransactionIsAnUnavailableDependency() {
        CompositeException reset = new CompositeException(new SocketException("Connection reset"),
                new IllegalStateException("HR000090: Live transaction detected while closing the connection: it will be roll backed"));
        assertTrue(ProblemMappers.isUnavailable(reset));
        assertTrue(ProblemMappers.isUnavailable(new RuntimeException(new SocketException("Connection reset"))));
    }

    @Test
    void aPlainBugIsNot() {
        assertFalse(ProblemMappers.isUnavailable(new IllegalStateException("HR000090: Live transaction detected")));
        assertFalse(ProblemMappers.isUnavailable(new CompositeException(new IllegalArgumentException("a"), new IllegalStateException("b"))));
    }
}
