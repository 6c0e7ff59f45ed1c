package dev.portcullis.identity.login;

import com.google.protobuf.Timestamp;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LoginFailed;
import dev.portcullis.proto.events.v1.LoginSucceeded;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Login events through the outbox, in the caller's transaction. They name the account only when it
 * is known; the submitted username, password and code never appear in an event.
 */
@ApplicationScoped
public class LoginEvents {

    public static final String TOPIC = "portcullis.identity.v1";
    public static final String SOURCE = "identity-service";

    /** Why a login attempt failed ({@code LoginFailed.reason}). */
    public enum Reason {
        UNKNOWN_ACCOUNT, INVALID_PASSWORD, INVALID_OTP, INVALID_PASSKEY, ACCOUNT_DISABLED,
        /** The source (client address) is throttled. */
        THROTTLED,
        /** The account is locked after too many consecutive failures. */
        LOCKED_OUT;

        String wire() {
            return name().toLowerCase();
        }
    }

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    public Uni<Void> succeeded(AccountEntity account, String clientId, Authentication authentication) {
        EventEnvelope event = envelope(account, clientId)
                .setLoginSucceeded(LoginSucceeded.newBuilder()
                        .setSubjectId(account.id.toString())
                        .addAllAmr(authentication.amr())
                        .setAcr(authentication.acr())
                        .setClientId(clientId))
                .build();
        return outbox.append(TOPIC, account.id.toString(), UUID.fromString(event.getEventId()), "login_succeeded", event)
                .replaceWithVoid();
    }

    /** @param account the account the attempt was for, or null when no account matched */
    public Uni<Void> failed(AccountEntity account, String clientId, Reason reason) {
        LoginFailed.Builder failed = LoginFailed.newBuilder().setReason(reason.wire());
        if (account != null) {
            failed.setSubjectId(account.id.toString());
        }
        EventEnvelope event = envelope(account, clientId).setLoginFailed(failed).build();
        String key = account != null ? account.id.toString() : "client:" + clientId;
        return outbox.append(TOPIC, key, UUID.fromString(event.getEventId()), "login_failed", event).replaceWithVoid();
    }

    private EventEnvelope.Builder envelope(AccountEntity account, String clientId) {
        Instant now = clock.instant();
        Actor.Builder actor = Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setClientId(clientId);
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource(SOURCE);
        if (account != null) {
            actor.setId(account.id.toString()).setOrganizationId(account.organizationId.toString());
            envelope.setOrganizationId(account.organizationId.toString());
        }
        return envelope.setActor(actor);
    }
}
