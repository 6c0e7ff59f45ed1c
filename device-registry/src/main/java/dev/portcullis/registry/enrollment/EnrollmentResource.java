package dev.portcullis.registry.enrollment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.Ids;
import dev.portcullis.registry.lock.LockKeys;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/locks/{lockId}/enrollment}: anonymous, the one-time secret is the authentication.
 * Malformed requests get 400 (413 when the body is larger than any valid request); every refusal gets
 * the same 401, whatever its cause.
 */
@Path("/v1/locks/{lockId}/enrollment")
@PermitAll
public class EnrollmentResource {

    /** A valid request is a few hundred bytes (a secret and two 44-byte keys in base64). */
    static final int MAX_BODY_BYTES = 4096;
    /** Longer "secrets" are malformed input, not guesses worth hashing. */
    static final int MAX_SECRET_LENGTH = 256;

    private static final Pattern FIRMWARE_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    @Inject
    EnrollmentService enrollment;

    @Inject
    PlatformKeys platformKeys;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<EnrollmentResponse> enroll(@PathParam("lockId") String lockId, byte[] body) {
        EnrollmentRequest request = parse(body);
        String secret = request.enrollmentSecret();
        if (secret == null || secret.isEmpty()) {
            throw ProblemException.badRequest("invalid-request", "enrollmentSecret is required");
        }
        if (secret.length() > MAX_SECRET_LENGTH) {
            throw ProblemException.badRequest("invalid-request",
                    "enrollmentSecret must be at most " + MAX_SECRET_LENGTH + " characters");
        }
        LockKeys keys = keys(request);
        String firmwareVersion = request.firmwareVersion();
        if (firmwareVersion != null && !FIRMWARE_VERSION.matcher(firmwareVersion).matches()) {
            throw ProblemException.badRequest("invalid-firmware-version",
                    "firmwareVersion must be 1-64 characters of letters, digits and . _ + -");
        }
        Optional<UUID> id = Ids.uuid(lockId);
        if (id.isEmpty()) {
            return Uni.createFrom().failure(refused());
        }
        byte[] presentedHash = EnrollmentSecrets.hash(secret);
        return enrollment.enroll(id.get(), presentedHash, keys, firmwareVersion)
                .map(enrolled -> enrolled.map(this::response).orElseThrow(EnrollmentResource::refused));
    }

    private EnrollmentResponse response(Enrolled enrolled) {
        return new EnrollmentResponse(enrolled.lockId().toString(), enrolled.keyEpoch(), enrolled.signingKeyId(),
                enrolled.agreementKeyId(), new EnrollmentResponse.Platform(platformKeys.signing(), platformKeys.agreement()));
    }

    /** The one answer to every refused enrollment: it says nothing about which check failed. */
    static ProblemException refused() {
        return new ProblemException(401, "enrollment-refused", "Unauthorized",
                "Enrollment refused: the lock id and enrollment secret do not match a lock awaiting enrollment");
    }

    private EnrollmentRequest parse(byte[] body) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ProblemException(413, "request-too-large", "Content too large",
                    "The request body must be at most " + MAX_BODY_BYTES + " bytes");
        }
        EnrollmentRequest request;
        try {
            request = body == null || body.length == 0 ? null : json.readValue(body, EnrollmentRequest.class);
        } catch (IOException e) {
            request = null;
        }
        if (request == null) {
            throw ProblemException.badRequest("malformed-body",
                    "A JSON object with enrollmentSecret, signingKey and agreementKey is required");
        }
        return request;
    }

    private static LockKeys keys(EnrollmentRequest request) {
        byte[] signing = base64(request.signingKey(), "signingKey");
        byte[] agreement = base64(request.agreementKey(), "agreementKey");
        try {
            return LockKeys.decode(signing, agreement);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-key", e.getMessage());
        }
    }

    private static byte[] base64(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("invalid-key", field + " is required (base64 X.509 SubjectPublicKeyInfo, DER)");
        }
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-key", field + " is not valid base64");
        }
    }
}
