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
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
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
        assertEquals(List.of("online " + silent.session.lock().lockId(), "online " + live.session.lock().lockId(),
                "offline " + silent.session.lock().lockId()), announced, "presence follows the streams");
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
        sessions.unregister(first.session, null);
        assertEquals(List.of("online " + lock.lockId(), "online " + lock.lockId()), announced,
                "a replaced stream ending is not the lock going offline");
        sessions.unregister(second.session, null);
        assertEquals("offline " + lock.lockId(), announced.get(announced.size() - 1));
    }

    @Test
    void orderedStepsOnOneStreamRunOneAfterTheOtherEvenWhenOneFails() {
        LockSession session = new Stream().session;
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> firstDone = new CompletableFuture<>();
        Executor direct = Runnable::run;

        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<Throwable> secondFailure = new AtomicReference<>();
        AtomicReference<String> third = new AtomicReference<>();
        session.inCounterOrder(direct, () -> {
            log.add("first starts");
            return Uni.createFrom().completionStage(firstDone);
        }).subscribe().with(first::set);
        session.inCounterOrder(direct, () -> {
            log.add("second starts");
            return Uni.createFrom().<String>failure(new IllegalStateException("sealing failed"));
        }).subscribe().with(item -> { }, secondFailure::set);
        session.inCounterOrder(direct, () -> {
            log.add("third starts");
            return Uni.createFrom().item("sent 3");
        }).subscribe().with(third::set);

        assertEquals(List.of("first starts"), log, "later steps wait while the first is in flight");
        firstDone.complete("sent 1");
        assertEquals(List.of("first starts", "second starts", "third starts"), log);
        assertEquals("sent 1", first.get());
        assertInstanceOf(IllegalStateException.class, secondFailure.get());
        assertEquals("sent 3", third.get(), "a failed step does not block the ones after it");
    }

    /** What LockSessions announced, in order: "online lockId" / "offline lockId". */
    private final List<String> announced = new CopyOnWriteArrayList<>();

    private LockSessions sessions(Duration idleTimeout) {
        LockSessions sessions = new LockSessions();
        sessions.presence = new LockPresence() {
            @Override
            void online(LockSession session) {
                announced.add("online " + session.lock().lockId());
            }

            @Override
            void offline(LockSession session) {
                announced.add("offline " + session.lock().lockId());
            }
        };
        // The real mapping with its defaults; only the idle timeout is the test's own.
        sessions.config = new SmallRyeConfigBuilder()
                .withMapping(CommandConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("portcullis.command.gateway.idle-timeout", idleTimeout.toString()),
                        "test", 500))
                .build()
                .getConfigMapping(CommandConfig.class);
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
