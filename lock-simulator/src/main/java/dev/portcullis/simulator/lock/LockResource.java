package dev.portcullis.simulator.lock;

import dev.portcullis.lock.protocol.RecoveryChallenge;
import dev.portcullis.proto.gateway.v1.DoorState;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.simulator.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The simulator's admin API (bound to loopback): the locks' state, injecting an envelope (to replay a
 * captured command), and reporting lock events. No authentication: it is a local test tool.
 */
@Path("/v1/locks")
@Produces(MediaType.APPLICATION_JSON)
public class LockResource {

    private static final Set<String> PLAIN_EVENT_TYPES = Set.of("WRONG_CODE", "LOCKOUT", "TAMPER", "LOW_BATTERY", "DURESS",
            "CREDENTIAL_SYNC_RESULT");

    @Inject
    Fleet fleet;

    @GET
    public List<LockView> list() {
        return fleet.all().stream().map(VirtualLock::view).toList();
    }

    @GET
    @Path("/{id}")
    public LockView get(@PathParam("id") String id) {
        return lock(id).view();
    }

    /** Runs the envelope through the lock's verification, as if it had arrived; actuates only if it passes. */
    @POST
    @Path("/{id}/inject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public InjectResult inject(@PathParam("id") String id, InjectRequest request) {
        VirtualLock lock = lock(id);
        if (request == null || request.envelope() == null || request.envelope().isBlank()) {
            throw ProblemException.badRequest("invalid-envelope", "envelope (base64 of a command envelope) is required");
        }
        byte[] envelope;
        try {
            envelope = Base64.getDecoder().decode(request.envelope().strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-envelope", "envelope is not valid base64");
        }
        try {
            VirtualLock.Outcome outcome = lock.inject(envelope);
            return new InjectResult(outcome.accepted(), outcome.reason() == null ? null : outcome.reason().name(),
                    Base64.getEncoder().encodeToString(outcome.signedAck()));
        } catch (VirtualLock.NotEnrolledException e) {
            throw ProblemException.conflict("lock-not-enrolled", "Lock " + id + " has not enrolled yet: it trusts no platform key");
        }
    }

    /**
     * Types a PIN on the lock's keypad. The answer is what a person at the door would see: opened or
     * not. A duress PIN looks exactly like any other that opens (the alert it raises is silent); why a PIN
     * was refused is only in the lock's own event, not in this answer.
     */
    @POST
    @Path("/{id}/keypad")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public KeypadResult keypad(@PathParam("id") String id, KeypadRequest request) {
        if (request == null || request.pin() == null || !request.pin().matches("[0-9]{4,12}")) {
            throw ProblemException.badRequest("invalid-pin", "pin must be 4 to 12 digits");
        }
        return new KeypadResult(lock(id).keypad(request.pin()).opens());
    }

    /** {@code POST /v1/locks/{id}/connection}: {@code {"online": false}} takes the lock off the network, {@code true} brings it back. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record ConnectionRequest(Boolean online) {
    }

    @POST
    @Path("/{id}/connection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public LockView connection(@PathParam("id") String id, ConnectionRequest request) {
        if (request == null || request.online() == null) {
            throw ProblemException.badRequest("invalid-connection", "online (true or false) is required");
        }
        VirtualLock lock = lock(id);
        try {
            lock.setOnline(request.online());
        } catch (IllegalStateException e) {
            throw ProblemException.conflict("not-enrolled", "Lock " + id + " is not enrolled");
        }
        return lock.view();
    }

    /** What an installer programmed at the keypad: the lock's own id for it. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record LocalCredential(String credentialId) {
    }

    /**
     * {@code POST /v1/locks/{id}/local-credentials} {@code {"pin": "..."}}: a PIN programmed at the lock itself,
     * bypassing the platform. The lock reports its changed inventory; the platform is expected to remove it.
     */
    @POST
    @Path("/{id}/local-credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response programLocally(@PathParam("id") String id, KeypadRequest request) {
        if (request == null || request.pin() == null || !request.pin().matches("[0-9]{4,12}")) {
            throw ProblemException.badRequest("invalid-pin", "pin must be 4 to 12 digits");
        }
        return Response.status(201).entity(new LocalCredential(lock(id).programLocally(request.pin()).toString())).build();
    }

    /** {@code GET /v1/locks/{id}/credentials/{credentialId}}: 204 when the lock holds it, 404 when not. */
    @GET
    @Path("/{id}/credentials/{credentialId}")
    public Response holds(@PathParam("id") String id, @PathParam("credentialId") String credentialId) {
        java.util.UUID parsed;
        try {
            parsed = java.util.UUID.fromString(credentialId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Credential " + credentialId);
        }
        if (!lock(id).holds(parsed)) {
            throw ProblemException.notFound("Credential " + credentialId + " on lock " + id);
        }
        return Response.noContent().build();
    }

    /**
     * Recovery mode at the lock: the orphan-recovery challenge (base64, 32 bytes) entered locally; the answer is what
     * the lock's display shows (base64 of its Ed25519 signature, a QR code on a real lock).
     */
    @POST
    @Path("/{id}/recovery")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public RecoveryAnswer recovery(@PathParam("id") String id, RecoveryRequest request) {
        VirtualLock lock = lock(id);
        byte[] challenge;
        try {
            challenge = request == null || request.challenge() == null ? null : Base64.getDecoder().decode(request.challenge().strip());
        } catch (IllegalArgumentException e) {
            challenge = null;
        }
        if (challenge == null || challenge.length != RecoveryChallenge.CHALLENGE_BYTES) {
            throw ProblemException.badRequest("invalid-challenge", "challenge must be base64 of " + RecoveryChallenge.CHALLENGE_BYTES + " bytes");
        }
        try {
            return new RecoveryAnswer(Base64.getEncoder().encodeToString(lock.recoveryAnswer(challenge)));
        } catch (VirtualLock.NotEnrolledException e) {
            throw ProblemException.conflict("lock-not-enrolled", "Lock " + id + " has not enrolled yet: it has no key to answer with");
        }
    }

    /** Reports an event up the lock's gateway stream. 202 with the event id; 409 if the lock is not connected. */
    @POST
    @Path("/{id}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response event(@PathParam("id") String id, EventRequest request) {
        VirtualLock lock = lock(id);
        LockEvent.Builder event = event(request);
        String eventId = lock.report(event).orElseThrow(() -> ProblemException.conflict("lock-not-connected",
                "Lock " + id + " has no open gateway stream; the event was not sent"));
        return Response.accepted(new EventAccepted(eventId, event.getType().name())).build();
    }

    private VirtualLock lock(String id) {
        return fleet.find(id).orElseThrow(() -> ProblemException.notFound("Lock " + id));
    }

    static LockEvent.Builder event(EventRequest request) {
        if (request == null || request.type() == null || request.type().isBlank()) {
            throw ProblemException.badRequest("invalid-event", "type is required");
        }
        String type = request.type().strip().toUpperCase(Locale.ROOT);
        LockEvent.Builder event = LockEvent.newBuilder();
        switch (type) {
            case "DOOR_OPENED" -> event.setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE).setDoorState(DoorState.DOOR_STATE_OPEN);
            case "DOOR_CLOSED" -> event.setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE).setDoorState(DoorState.DOOR_STATE_CLOSED);
            case "DOOR_AJAR" -> event.setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE).setDoorState(DoorState.DOOR_STATE_AJAR);
            case "DOOR_STATE" -> event.setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE).setDoorState(doorState(request.doorState()));
            default -> {
                if (!PLAIN_EVENT_TYPES.contains(type)) {
                    throw ProblemException.badRequest("invalid-event", "unknown event type " + type + "; one of DOOR_OPENED, DOOR_CLOSED,"
                            + " DOOR_AJAR, DOOR_STATE, " + String.join(", ", PLAIN_EVENT_TYPES.stream().sorted().toList()));
                }
                event.setType(LockEventType.valueOf("LOCK_EVENT_TYPE_" + type));
            }
        }
        if (request.batteryPercent() != null) {
            if (request.batteryPercent() < 0 || request.batteryPercent() > 100) {
                throw ProblemException.badRequest("invalid-event", "batteryPercent must be 0..100");
            }
            event.setBatteryPercent(request.batteryPercent());
        }
        if (request.credentialId() != null) {
            event.setCredentialId(bounded(request.credentialId(), "credentialId", 128));
        }
        if (request.detail() != null) {
            event.setDetail(bounded(request.detail(), "detail", 256));
        }
        return event;
    }

    private static DoorState doorState(String value) {
        if (value != null) {
            switch (value.strip().toUpperCase(Locale.ROOT)) {
                case "OPEN" -> {
                    return DoorState.DOOR_STATE_OPEN;
                }
                case "CLOSED" -> {
                    return DoorState.DOOR_STATE_CLOSED;
                }
                case "AJAR" -> {
                    return DoorState.DOOR_STATE_AJAR;
                }
                default -> { }
            }
        }
        throw ProblemException.badRequest("invalid-event", "DOOR_STATE needs doorState OPEN, CLOSED or AJAR");
    }

    private static String bounded(String value, String field, int max) {
        if (value.length() > max) {
            throw ProblemException.badRequest("invalid-event", field + " is longer than " + max + " characters");
        }
        return value;
    }
}
