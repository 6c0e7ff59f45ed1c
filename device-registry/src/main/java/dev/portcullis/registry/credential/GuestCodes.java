package dev.portcullis.registry.credential;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.policy.v1.CheckAccessRequest;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Events.Cause;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Guest codes (docs/registry.md, "Guest codes"): a tenant gives a guest a temporary PIN for a door the tenant's
 * own grants open during the code's validity (asked of policy-service, live, with {@code CheckAccess}: nothing is
 * consumed), through the operators' issue path. Only the tenant who gave a code sees and revokes it.
 */
@ApplicationScoped
public class GuestCodes {

    private static final Logger LOG = Logger.getLogger(GuestCodes.class);

    /** How far in the past a code may start (a clock a little behind, a form filled in slowly). */
    static final Duration START_TOLERANCE = Duration.ofMinutes(1);

    /** How long the registry waits for policy before refusing with 503. */
    static final Duration POLICY_DEADLINE = Duration.ofSeconds(3);
    /** How far past a guest code's end the tenant's own grants must still open the door (a week: any weekly schedule). */
    static final Duration ACCESS_AFTER = Duration.ofDays(7);

    /** @param validFrom now when absent */
    @RegisterForReflection
    public record GuestCodeRequest(String doorId, String guestName, OffsetDateTime validFrom, OffsetDateTime validUntil) {
    }

    /** A guest code as its tenant sees it; {@code pin} only in the answer that created it. */
    @RegisterForReflection
    public record GuestCodeView(UUID id, UUID doorId, String door, String guestName, OffsetDateTime validFrom,
            OffsetDateTime validUntil, boolean expired, String state, Long pendingSeconds, OffsetDateTime createdAt,
            OffsetDateTime revokeRequestedAt, OffsetDateTime revokedAt, String pin) {

        static GuestCodeView of(Credential credential, String door, Instant now, String pin) {
            CredentialView view = CredentialView.of(credential, now, pin);
            return new GuestCodeView(view.id(), view.doorId(), door, view.label(), view.validFrom(), view.validUntil(),
                    view.validUntil() != null && !view.validUntil().toInstant().isAfter(now), view.state(), view.pendingSeconds(),
                    view.createdAt(), view.revokeRequestedAt(), view.revokedAt(), pin);
        }
    }

    @Inject
    Db db;

    @Inject
    Credentials credentials;

    @Inject
    CredentialConfig config;

    @Inject
    Clock clock;

    @GrpcClient("policy")
    PolicyService policy;

    public Uni<GuestCodeView> create(String tenant, UUID organization, GuestCodeRequest request) {
        GuestCodeRequest body = Checks.body(request);
        UUID doorId;
        try {
            doorId = UUID.fromString(Checks.required(body.doorId(), "doorId"));
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("doorId must be a door id");
        }
        String guest = Checks.name(body.guestName(), "guestName", 100);
        Instant now = clock.instant();
        OffsetDateTime from = body.validFrom() != null ? body.validFrom() : OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime until = Checks.required(body.validUntil(), "validUntil");
        if (from.toInstant().isBefore(now.minus(START_TOLERANCE))) {
            throw Checks.invalid("validFrom is in the past: a guest code starts now or later");
        }
        if (!until.isAfter(from)) {
            throw Checks.invalid("validUntil must be after validFrom");
        }
        Duration max = config.guestCodeMaxValidity();
        if (Duration.between(from, until).compareTo(max) > 0) {
            throw Checks.invalid("a guest code is valid for at most " + max.toDays() + " days (validUntil - validFrom)");
        }
        return doorName(organization, doorId)
                .flatMap(door -> mayOpen(tenant, organization, doorId, from.toInstant(), until.toInstant())
                        .flatMap(ignored -> credentials.issueGuestCode(tenant, organization, doorId,
                                new IssueRequest("PIN", "temporary", null, guest, null, null, false, from, until, null, null, null, null)))
                        .map(issued -> GuestCodeView.of(issued.credential(), door, clock.instant(), issued.pin())));
    }

    /** The tenant's own guest codes, newest first (at most 100; revoked ones included). */
    public Uni<List<GuestCodeView>> mine(String tenant, UUID organization) {
        Instant now = clock.instant();
        return db.list("SELECT " + Credential.COLUMNS + ", d.name AS door_name FROM credential c JOIN door d ON d.id = c.door_id"
                + " WHERE c.organization_id = $1 AND c.guest_of = $2 ORDER BY c.created_at DESC, c.id LIMIT 100",
                row -> GuestCodeView.of(Credential.of(row), row.getString("door_name"), now, null), organization, tenant);
    }

    /** Revokes one of the tenant's own guest codes (two-phase, like any revocation); anybody else's is 404. */
    public Uni<GuestCodeView> revoke(String tenant, UUID organization, UUID codeId) {
        return db.one("SELECT d.name FROM credential c JOIN door d ON d.id = c.door_id"
                + " WHERE c.id = $1 AND c.organization_id = $2 AND c.guest_of = $3", row -> row.getString(0), codeId, organization, tenant)
                .flatMap(door -> {
                    if (door == null) {
                        throw ProblemException.notFound("The guest code");
                    }
                    return credentials.revoke(organization, codeId, "revoked_by_tenant", Cause.operator(tenant), null)
                            .map(revoked -> GuestCodeView.of(revoked, door, clock.instant(), null));
                });
    }

    private Uni<String> doorName(UUID organization, UUID doorId) {
        return db.one("SELECT name FROM door WHERE id = $1 AND organization_id = $2", row -> row.getString(0), doorId, organization)
                .invoke(name -> {
                    if (name == null) {
                        throw ProblemException.notFound("The door");
                    }
                });
    }

    /**
     * Policy must say the tenant's own grants open the door within the code's validity, and still open it after the code
     * ends (within {@link #ACCESS_AFTER}): a guest code never outlasts the access of the tenant who gives it. Unreachable
     * policy is 503, never a guess.
     */
    private Uni<Void> mayOpen(String tenant, UUID organization, UUID doorId, Instant from, Instant until) {
        return opens(tenant, organization, doorId, from, until,
                "You cannot open this door during that time, so you cannot give a guest a code for it")
                .flatMap(ignored -> opens(tenant, organization, doorId, until, until.plus(ACCESS_AFTER),
                        "Your own access to this door ends before the code would: a guest code cannot outlast it"));
    }

    private Uni<Void> opens(String tenant, UUID organization, UUID doorId, Instant from, Instant until, String refusal) {
        return policy.checkAccess(CheckAccessRequest.newBuilder().setOrganizationId(organization.toString()).setSubjectId(tenant)
                        .setDoorId(doorId.toString()).setFrom(timestamp(from)).setTo(timestamp(until)).build())
                .ifNoItem().after(POLICY_DEADLINE).fail()
                .onFailure().transform(failure -> {
                    LOG.warnf("policy could not check %s's access to door %s: %s", tenant, doorId, failure.toString());
                    return ProblemException.unavailable("Policy could not be asked whether you may open this door; try again",
                            Duration.ofSeconds(2));
                })
                .invoke(answer -> {
                    if (!answer.getOpens()) {
                        throw ProblemException.forbidden(refusal);
                    }
                })
                .replaceWithVoid();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
