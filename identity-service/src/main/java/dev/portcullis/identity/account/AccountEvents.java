package dev.portcullis.identity.account;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.AccountActivated;
import dev.portcullis.proto.events.v1.AccountDeleted;
import dev.portcullis.proto.events.v1.AccountDisabled;
import dev.portcullis.proto.events.v1.AccountEnabled;
import dev.portcullis.proto.events.v1.AccountInvited;
import dev.portcullis.proto.events.v1.AccountLockedOut;
import dev.portcullis.proto.events.v1.AccountUnlocked;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.MfaChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Account lifecycle events through the outbox, in the caller's transaction (topic
 * {@code portcullis.identity.v1}, keyed by the account id). They carry ids only: no username, name,
 * password or secret. {@code operator} is the acting operator's account, or null when the account's
 * own sign-in attempts caused the event (a lockout).
 */
@ApplicationScoped
public class AccountEvents {

    public static final String TOPIC = "portcullis.identity.v1";
    public static final String SOURCE = "identity-service";

    /** Who acted: an operator (their subject and organization) through the admin API. */
    public record Operator(UUID id, UUID organizationId) {
    }

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    public Uni<Void> lockedOut(AccountEntity account) {
        Instant until = account.throttledUntil.toInstant();
        return append(account, null, "account_locked_out", envelope(account, null).setAccountLockedOut(AccountLockedOut.newBuilder()
                .setSubjectId(account.id.toString())
                .setConsecutiveFailures(Math.max(account.failedAttempts, 0))
                .setLockedUntil(Timestamp.newBuilder().setSeconds(until.getEpochSecond()).setNanos(until.getNano()))));
    }

    public Uni<Void> unlocked(AccountEntity account, Operator operator) {
        return append(account, operator, "account_unlocked",
                envelope(account, operator).setAccountUnlocked(AccountUnlocked.newBuilder().setSubjectId(account.id.toString())));
    }

    public Uni<Void> mfaChanged(AccountEntity account, Operator operator, String change) {
        return append(account, operator, "mfa_changed", envelope(account, operator)
                .setMfaChanged(MfaChanged.newBuilder().setSubjectId(account.id.toString()).setChange(change).setVia("operator")));
    }

    public Uni<Void> invited(AccountEntity account, Operator operator) {
        return append(account, operator, "account_invited",
                envelope(account, operator).setAccountInvited(AccountInvited.newBuilder().setSubjectId(account.id.toString())));
    }

    public Uni<Void> activated(AccountEntity account) {
        return append(account, null, "account_activated",
                envelope(account, null).setAccountActivated(AccountActivated.newBuilder().setSubjectId(account.id.toString())));
    }

    public Uni<Void> disabled(AccountEntity account, Operator operator) {
        return append(account, operator, "account_disabled",
                envelope(account, operator).setAccountDisabled(AccountDisabled.newBuilder().setSubjectId(account.id.toString())));
    }

    public Uni<Void> enabled(AccountEntity account, Operator operator) {
        return append(account, operator, "account_enabled",
                envelope(account, operator).setAccountEnabled(AccountEnabled.newBuilder().setSubjectId(account.id.toString())));
    }

    public Uni<Void> deleted(AccountEntity account, Operator operator) {
        return append(account, operator, "account_deleted",
                envelope(account, operator).setAccountDeleted(AccountDeleted.newBuilder().setSubjectId(account.id.toString())));
    }

    private Uni<Void> append(AccountEntity account, Operator operator, String type, EventEnvelope.Builder event) {
        EventEnvelope built = event.build();
        return outbox.append(TOPIC, account.id.toString(), UUID.fromString(built.getEventId()), type, built).replaceWithVoid();
    }

    private EventEnvelope.Builder envelope(AccountEntity account, Operator operator) {
        Instant now = clock.instant();
        Actor.Builder actor = Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER);
        if (operator != null) {
            actor.setId(operator.id().toString()).setOrganizationId(operator.organizationId().toString());
        } else {
            actor.setId(account.id.toString()).setOrganizationId(account.organizationId.toString());
        }
        return EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource(SOURCE)
                .setOrganizationId(account.organizationId.toString())
                .setActor(actor);
    }
}
