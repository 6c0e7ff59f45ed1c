package dev.portcullis.command.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams are ended from the platform side when a lock goes silent or reconnects. */
class LockSessionsTest {

    @Test
    void aSilentStreamIsEndedAndForgottenWhileALiveOneStays() throws Exception {
        LockSessions sessions = sessions(Duration.ofMillis(50));
        Stream silent = new Stream();
        sessions.register(silent.session);
        Thread.sleep(120);
        Stream live = new Stream();
        sessions.register(live.session);

        sessions.endIdleStreams();

        assertTrue(sessions.find(silent.session.lock().lockId()).isEmpty(), "the silent lock is no longer reachable");
        StatusRuntimeException ended = assertInstanceOf(StatusRuntimeException.class, silent.failure.get());
        assertEquals(Status.Code.UNAVAILABLE, ended.getStatus().getCode());
        assertSame(live.session, sessions.find(live.session.lock().lockId()).orElseThrow());
        assertNull(live.failure.get(), "a stream that spoke recently stays open");
    }

    @Test
    void aNewStreamFromTheSameLockEndsTheOldOne() {
        LockSessions sessions = sessions(Duration.ofHours(1));
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        LockIdentity lock = new LockIdentity(UUID.randomUUID().toString(), keys.signingPublicKey(), keys.agreementPublicKey(), 1);
        Stream first = new Stream(lock);
        Stream second = new Stream(lock);
        sessions.register(first.session);
        sessions.register(second.session);

        assertInstanceOf(StatusRuntimeException.class, first.failure.get());
        assertSame(second.session, sessions.find(lock.lockId()).orElseThrow());
        assertNull(second.failure.get());
    }

    private static LockSessions sessions(Duration idleTimeout) {
        LockSessions sessions = new LockSessions();
        sessions.config = new CommandConfig() {
            @Override
            public Duration commandLifetime() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration acknowledgementGrace() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration policyDeadline() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration registryDeadline() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Gateway gateway() {
                return new Gateway() {
                    @Override
                    public Duration authenticationTimeout() {
                        return Duration.ofSeconds(10);
                    }

                    @Override
                    public Duration idleTimeout() {
                        return idleTimeout;
                    }
                };
            }

            @Override
            public Dpop dpop() {
                return new Dpop() {
                    @Override
                    public Duration proofWindow() {
                        return Duration.ofSeconds(60);
                    }

                    @Override
                    public Duration clockSkew() {
                        return Duration.ofSeconds(5);
                    }
                };
            }
        };
        return sessions;
    }

    /** A gateway stream's downstream half, as the server sees it. */
    private static final class Stream {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final LockSession session;

        Stream() {
            this(newLock());
        }

        Stream(LockIdentity lock) {
            AtomicReference<MultiEmitter<? super GatewayMessage>> emitter = new AtomicReference<>();
            Multi.createFrom().<GatewayMessage>emitter(emitter::set)
                    .subscribe().with(message -> { }, failure::set);
            session = new LockSession(lock, UUID.randomUUID().toString(), UUID.randomUUID().toString(), emitter.get());
        }

        private static LockIdentity newLock() {
            InMemoryLockKeys keys = InMemoryLockKeys.generate();
            return new LockIdentity(UUID.randomUUID().toString(), keys.signingPublicKey(), keys.agreementPublicKey(), 1);
        }
    }
}
