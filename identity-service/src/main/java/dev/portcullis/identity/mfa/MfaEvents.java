package dev.portcullis.identity.mfa;

import com.google.protobuf.Timestamp;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.login.LoginEvents;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.MfaChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** {@code MfaChanged} events through the outbox, in the caller's transaction. They never carry a secret. */
@ApplicationScoped
public class MfaEvents {

    public static final String TOTP_ENROLLED = "totp_enrolled";
    public static final String RECOVERY_CODES_GENERATED = "recovery_codes_generated";
    public static final String PASSKEY_REGISTERED = "passkey_registered";
    public static final String PASSKEY_REMOVED = "passkey_removed";
    public static final String VIA_LOGIN = "login_enrollment";
    public static final String VIA_SELF_SERVICE = "self_service";

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    public Uni<Void> changed(AccountEntity account, String change, String via) {
        Instant now = clock.instant();
        EventEnvelope event = EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource(LoginEvents.SOURCE)
                .setOrganizationId(account.organizationId.toString())
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setId(account.id.toString())
                        .setOrganizationId(account.organizationId.toString()))
                .setMfaChanged(MfaChanged.newBuilder().setSubjectId(account.id.toString()).setChange(change).setVia(via))
                .build();
        return outbox.append(LoginEvents.TOPIC, account.id.toString(), UUID.fromString(event.getEventId()), "mfa_changed", event)
                .replaceWithVoid();
    }
}
