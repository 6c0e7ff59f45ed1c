package dev.portcullis.simulator.lock;

import com.google.protobuf.Timestamp;
import dev.portcullis.lock.protocol.CommandRejectedException;
import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.RecoveryChallenge;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.LockCommandAction;
import dev.portcullis.lock.protocol.LockVerifier;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.lock.protocol.RejectionReason;
import dev.portcullis.lock.protocol.VerifiedCommand;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.simulator.Backoff;
import dev.portcullis.simulator.enrollment.EnrollmentClient;
import dev.portcullis.simulator.enrollment.EnrollmentResponse;
import dev.portcullis.simulator.gateway.GatewayLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One simulated lock: it enrolls once (retrying while the registry is unavailable, giving up on a
 * 401), keeps its gateway stream open, and runs every envelope it receives (from the gateway, or
 * injected through the admin API) through lock-protocol's {@link LockVerifier}. A valid command moves
 * the bolt and is answered with a signed EXECUTED acknowledgement; anything else with a signed REFUSED
 * one, and nothing moves. Plain Java (no CDI) so tests can stop and restart a lock on the same state.
 */
public final class VirtualLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VirtualLock.class);

    public enum Enrollment { PENDING, ENROLLED, REFUSED, FAILED }

    public enum Bolt { LOCKED, UNLOCKED }

    public enum DoorPosition { CLOSED, OPEN, AJAR }

    public record Settings(String lockId, Optional<String> enrollmentSecret, String firmwareVersion, Duration relockDelay,
            Duration allowedClockSkew, Duration maxCommandLifetime, Duration enrollmentRetryInitialDelay, Duration enrollmentRetryMaxDelay,
            GatewayLink.Settings gateway) {

        @Override
        public String toString() {
            return "Settings[" + lockId + ", secret " + (enrollmentSecret.isPresent() ? "<redacted>" : "absent") + "]";
        }
    }

    /** What the lock did with one envelope, and the acknowledgement it signed. */
    public record Outcome(boolean accepted, RejectionReason reason, byte[] signedAck) {
    }

    /** The lock cannot verify anything before it has enrolled (it has no trusted platform keys). */
    public static final class NotEnrolledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotEnrolledException(String lockId) {
            super("lock " + lockId + " is not enrolled", null, false, false);
        }
    }

    private final Settings settings;
    private final LockStorage storage;
    private final EnrollmentClient registry;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Backoff enrollmentBackoff;

    private final AtomicLong actuations = new AtomicLong();
    /** Credentials the platform put on this lock (in memory: after a restart the platform reconciles). */
    private final CredentialSet credentials = new CredentialSet();
    private final AtomicLong rejections = new AtomicLong();
    private volatile Enrollment enrollment;
    private volatile LockVerifier verifier;
    private volatile GatewayLink link;
    private volatile String lastEnvelope;
    private volatile String lastRejection;
    private volatile DoorPosition doorPosition = DoorPosition.CLOSED;
    private volatile int batteryPercent = 100;
    private volatile boolean closed;

    private Bolt bolt = Bolt.LOCKED;
    private ScheduledFuture<?> relock;

    public VirtualLock(Settings settings, LockStorage storage, EnrollmentClient registry, ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.storage = storage;
        this.registry = registry;
        this.scheduler = scheduler;
        this.clock = clock;
        this.enrollmentBackoff = new Backoff(settings.enrollmentRetryInitialDelay(), settings.enrollmentRetryMaxDelay());
        this.enrollment = storage.enrollment().isPresent() ? Enrollment.ENROLLED : Enrollment.PENDING;
    }

    public String id() {
        return settings.lockId();
    }

    public InMemoryLockKeys keys() {
        return storage.keys();
    }

    /** Enrolls if needed, then opens the gateway stream. Returns at once; the work continues in the background. */
    public void start() {
        Optional<EnrollmentRecord> enrolled = storage.enrollment();
        if (enrolled.isPresent()) {
            LOG.infof("lock %s: enrolled (key epoch %d, trusts platform signing key %s)", id(), enrolled.get().keyEpoch(),
                    enrolled.get().platformSigningKeyId());
            becomeEnrolled(enrolled.get());
        } else if (settings.enrollmentSecret().isEmpty() || settings.enrollmentSecret().get().isEmpty()) {
            enrollment = Enrollment.FAILED;
            LOG.errorf("lock %s is not enrolled and has no enrollment secret configured (simulator.locks[].enrollment-secret)", id());
        } else {
            enroll();
        }
    }

    private void enroll() {
        if (closed) {
            return;
        }
        registry.enroll(id(), settings.enrollmentSecret().orElseThrow(), storage.keys(), settings.firmwareVersion())
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        onEnrollment(new EnrollmentClient.Unavailable(failure.toString()));
                    } else {
                        onEnrollment(result);
                    }
                });
    }

    private void onEnrollment(EnrollmentClient.Result result) {
        if (closed) {
            return;
        }
        if (result instanceof EnrollmentClient.Enrolled enrolled) {
            EnrollmentRecord record;
            try {
                record = record(enrolled.response());
                storage.saveEnrollment(record);
            } catch (RuntimeException e) {
                enrollment = Enrollment.FAILED;
                LOG.errorf("lock %s: the registry accepted the enrollment but its answer is unusable (%s); the lock stays"
                        + " unenrolled", id(), e.getMessage());
                return;
            }
            LOG.infof("lock %s enrolled (key epoch %d, signing key %s); trusts platform signing key %s", id(), record.keyEpoch(),
                    record.signingKeyId(), record.platformSigningKeyId());
            becomeEnrolled(record);
        } else if (result instanceof EnrollmentClient.Refused refused) {
            enrollment = refused.status() == 401 ? Enrollment.REFUSED : Enrollment.FAILED;
            LOG.errorf("lock %s: enrollment refused by the registry (HTTP %d%s); not retrying: the lock stays unenrolled."
                    + " Check its lock id and simulator.locks[].enrollment-secret (a secret works once).", id(), refused.status(),
                    refused.detail().isEmpty() ? "" : ": " + refused.detail());
        } else if (result instanceof EnrollmentClient.Unavailable unavailable) {
            int failures = enrollmentBackoff.failures();
            Duration delay = enrollmentBackoff.next();
            if (failures == 0 || failures % 10 == 0) {
                LOG.warnf("lock %s: registry not available for enrollment (%s); retrying in %d ms", id(), unavailable.why(),
                        delay.toMillis());
            } else {
                LOG.debugf("lock %s: enrollment retry failed (%s); retrying in %d ms", id(), unavailable.why(), delay.toMillis());
            }
            try {
                scheduler.schedule(this::enroll, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the fleet is stopping
            }
        }
    }

    /** Checks the registry's answer against this lock's own keys, and turns it into what the lock keeps. */
    private EnrollmentRecord record(EnrollmentResponse response) {
        if (!id().equals(response.lockId())) {
            throw new IllegalArgumentException("the registry answered for lock " + response.lockId() + " (configure the lock id"
                    + " exactly as the registry writes it)");
        }
        if (!storage.keys().signingKeyId().equals(response.signingKeyId())
                || !storage.keys().agreementKeyId().equals(response.agreementKeyId())) {
            throw new IllegalArgumentException("the registry recorded other keys than this lock's");
        }
        if (response.keyEpoch() < 0) {
            throw new IllegalArgumentException("negative key epoch");
        }
        EnrollmentResponse.Platform platform = response.platform();
        if (platform == null || platform.signingKey() == null || platform.agreementKey() == null) {
            throw new IllegalArgumentException("no platform keys");
        }
        byte[] signing = Base64.getDecoder().decode(platform.signingKey().spki());
        byte[] agreement = Base64.getDecoder().decode(platform.agreementKey().spki());
        PublicKeys.ed25519(signing);
        PublicKeys.x25519(agreement);
        if (!KeyIds.ofSpki(signing).equals(platform.signingKey().keyId()) || !KeyIds.ofSpki(agreement).equals(platform.agreementKey().keyId())) {
            throw new IllegalArgumentException("a platform key id does not match its key");
        }
        return new EnrollmentRecord(id(), response.keyEpoch(), response.signingKeyId(), response.agreementKeyId(),
                Base64.getEncoder().encodeToString(signing), Base64.getEncoder().encodeToString(agreement),
                LockStorage.fingerprint(settings.enrollmentSecret().orElseThrow()), clock.instant().toString());
    }

    private synchronized void becomeEnrolled(EnrollmentRecord record) {
        if (closed) {
            return;
        }
        verifier = new LockVerifier(id(), record.keyEpoch(), storage.keys(), record.trustedPlatformKeys(), storage.counters(), clock,
                settings.allowedClockSkew(), settings.maxCommandLifetime());
        enrollment = Enrollment.ENROLLED;
        openLink();
    }

    private synchronized void openLink() {
        link = new GatewayLink(id(), storage.keys(), settings.firmwareVersion(), this::onGatewayCommand, () -> batteryPercent, scheduler,
                settings.gateway());
        link.whenWelcomed(this::reportInventory);
        link.start();
    }

    /**
     * Takes the lock off the network (its gateway stream closes and it stops retrying) or puts it back; what
     * it holds stays. Back online, it reports its credential inventory as after any reconnect.
     */
    public void setOnline(boolean online) {
        GatewayLink toClose = null;
        synchronized (this) {
            if (closed || verifier == null) {
                throw new IllegalStateException("the lock is not enrolled");
            }
            if (!online && link != null) {
                toClose = link;
                link = null;
            } else if (online && link == null) {
                openLink();
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** Sends the credential ids and digest the lock holds (never secrets); false when not connected. */
    public boolean reportInventory() {
        GatewayLink current = link;
        dev.portcullis.proto.gateway.v1.CredentialInventory.Builder inventory = dev.portcullis.proto.gateway.v1.CredentialInventory.newBuilder()
                .setCredentialSetDigest(com.google.protobuf.ByteString.copyFrom(credentials.digest()));
        credentials.ids().forEach(credentialId -> inventory.addCredentialIds(credentialId.toString()));
        return current != null && current.send(inventory.build());
    }

    /**
     * An installer programs a PIN at the keypad, bypassing the platform (what reconciliation must catch):
     * the lock holds it at once and reports its changed inventory.
     */
    public UUID programLocally(String pin) {
        UUID credentialId = UUID.randomUUID();
        credentials.put(CredentialSpec.pin(credentialId, pin));
        reportInventory();
        return credentialId;
    }

    public boolean holds(UUID credentialId) {
        return credentials.find(credentialId).isPresent();
    }

    /** A command delivered on the gateway stream: the signed acknowledgement goes back on the same stream. */
    private byte[] onGatewayCommand(byte[] envelope) {
        return process(envelope).signedAck();
    }

    /**
     * An envelope that arrived some other way (the admin API's inject: a replayed capture, a local
     * channel). Same verification; the acknowledgement is returned, not sent, since the platform did
     * not send it. A refusal is also reported up the stream as a COMMAND_REJECTED event.
     *
     * @throws NotEnrolledException if the lock has not enrolled yet
     */
    public Outcome inject(byte[] envelope) {
        Outcome outcome = process(envelope);
        if (!outcome.accepted()) {
            report(LockEvent.newBuilder().setType(LockEventType.LOCK_EVENT_TYPE_COMMAND_REJECTED).setDetail(outcome.reason().name()));
        }
        return outcome;
    }

    private Outcome process(byte[] envelope) {
        LockVerifier current = verifier;
        if (current == null) {
            throw new NotEnrolledException(id());
        }
        lastEnvelope = envelope.length <= LockVerifier.MAX_ENVELOPE_BYTES ? Base64.getEncoder().encodeToString(envelope) : null;
        try {
            VerifiedCommand command = current.verify(envelope);
            LOG.infof("lock %s executed %s (command %s, counter %d, requested by %s)", id(), command.action(), command.commandId(),
                    command.counter(), command.requester().subjectId());
            if (command.action().isCredentialChange()) {
                credentials.apply(command);
                return new Outcome(true, null, current.acknowledge(command, clock.instant(), credentials.digest()));
            }
            actuate(command.action());
            return new Outcome(true, null, current.acknowledge(command, clock.instant()));
        } catch (CommandRejectedException rejected) {
            rejections.incrementAndGet();
            lastRejection = rejected.reason().name();
            LOG.infof("lock %s refused command %s: %s", id(), LockVerifier.claimedCommandId(envelope), rejected.getMessage());
            return new Outcome(false, rejected.reason(), current.refuse(envelope, rejected.reason(), clock.instant()));
        }
    }

    private synchronized void actuate(LockCommandAction action) {
        actuations.incrementAndGet();
        if (relock != null) {
            relock.cancel(false);
            relock = null;
        }
        if (action == LockCommandAction.UNLOCK) {
            bolt = Bolt.UNLOCKED;
            try {
                relock = scheduler.schedule(this::relock, settings.relockDelay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                bolt = Bolt.LOCKED;
            }
        } else {
            bolt = Bolt.LOCKED;
        }
    }

    private synchronized void relock() {
        bolt = Bolt.LOCKED;
        relock = null;
        LOG.debugf("lock %s relocked", id());
    }

    /**
     * Reports an event up the gateway stream; the event id and time are filled in here. Door-state and
     * battery readings also update what the lock shows.
     *
     * @return the event id, or empty if the lock is not connected (nothing is sent and nothing changes)
     */
    public Optional<String> report(LockEvent.Builder event) {
        GatewayLink current = link;
        if (current == null || !current.connected()) {
            return Optional.empty();
        }
        String eventId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        event.setEventId(eventId).setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
        if (!current.send(event.build())) {
            return Optional.empty();
        }
        if (event.getType() == LockEventType.LOCK_EVENT_TYPE_DOOR_STATE) {
            switch (event.getDoorState()) {
                case DOOR_STATE_OPEN -> doorPosition = DoorPosition.OPEN;
                case DOOR_STATE_CLOSED -> doorPosition = DoorPosition.CLOSED;
                case DOOR_STATE_AJAR -> doorPosition = DoorPosition.AJAR;
                default -> { }
            }
        }
        if (event.getBatteryPercent() > 0) {
            batteryPercent = event.getBatteryPercent();
        }
        return Optional.of(eventId);
    }

    public boolean connected() {
        GatewayLink current = link;
        return current != null && current.connected();
    }

    /**
     * Someone types a PIN on the keypad. It opens when a credential the platform put here allows it now;
     * a duress PIN opens the same way and raises a silent DURESS event; a wrong PIN raises WRONG_CODE.
     */
    public CredentialSet.Check keypad(String pin) {
        CredentialSet.Check check = credentials.present(CredentialSpec.Kind.PIN,
                pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII), clock.instant());
        if (!check.opens() && pin.length() == 10) {
            // ten digits: an offline code derived from an offline-code secret the platform put here
            CredentialSet.Check offline = credentials.presentOfflineCode(id(), pin, clock.instant());
            if (offline.opens() || check.credentialId() == null) {
                check = offline;
            }
        }
        if (check.opens()) {
            actuate(LockCommandAction.UNLOCK);
            if (check.duress()) {
                report(LockEvent.newBuilder().setType(LockEventType.LOCK_EVENT_TYPE_DURESS).setCredentialId(check.credentialId().toString()));
            }
        } else {
            report(LockEvent.newBuilder().setType(LockEventType.LOCK_EVENT_TYPE_WRONG_CODE)
                    .setCredentialId(check.credentialId() == null ? "" : check.credentialId().toString())
                    .setDetail(check.refusal().name()));
        }
        return check;
    }

    /**
     * Recovery mode (entered with the physical button on the secured side): the lock answers an orphan-recovery
     * challenge entered locally with its enrolled key and shows the answer on its display. Never over the network.
     *
     * @throws NotEnrolledException if the lock has not enrolled yet
     */
    public byte[] recoveryAnswer(byte[] challenge) {
        if (verifier == null) {
            throw new NotEnrolledException(id());
        }
        LOG.infof("lock %s answered an orphan-recovery challenge in recovery mode", id());
        return RecoveryChallenge.sign(keys(), id(), challenge);
    }

    public int credentialCount() {
        return credentials.size();
    }

    public LockView view() {
        LockVerifier current = verifier;
        GatewayLink currentLink = link;
        Optional<EnrollmentRecord> record = storage.enrollment();
        Bolt boltNow;
        synchronized (this) {
            boltNow = bolt;
        }
        return new LockView(id(), current != null, enrollment.name(), connected(), currentLink == null ? 0 : currentLink.sessions(),
                actuations.get(), current == null ? 0 : current.lastAcceptedCounter(), rejections.get(), lastEnvelope, lastRejection,
                boltNow.name(), doorPosition.name(), batteryPercent, record.map(EnrollmentRecord::keyEpoch).orElse(null),
                storage.keys().signingKeyId(), storage.keys().agreementKeyId());
    }

    /** Closes the gateway stream and stops retrying; the state on disk stays. */
    @Override
    public void close() {
        GatewayLink current;
        synchronized (this) {
            closed = true;
            current = link;
            if (relock != null) {
                relock.cancel(false);
            }
        }
        if (current != null) {
            current.close();
        }
    }
}
