package dev.portcullis.lock.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The byte-level conventions of the protocol (docs/lock-protocol.md, "Encoding"): domain strings,
 * LP(x) = big-endian uint32 length of x followed by x, 16-byte UUIDs, SHA-256.
 */
final class Encoding {

    /** Domain of the platform's signature over a command. */
    static final String COMMAND_SIGNATURE_DOMAIN = "portcullis/lock-command/v1";
    /** Domain of the lock's signature over an acknowledgement. */
    static final String ACK_SIGNATURE_DOMAIN = "portcullis/lock-ack/v1";
    /** Domain of the lock's signature over a gateway challenge. */
    static final String CHALLENGE_SIGNATURE_DOMAIN = "portcullis/gateway-challenge/v1";

    static final int PROTOCOL_VERSION = 1;
    static final int ED25519_SIGNATURE_BYTES = 64;
    static final int GCM_TAG_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int UUID_BYTES = 16;

    private Encoding() {
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** LP(part[0]) || LP(part[1]) || ... */
    static byte[] lengthPrefixed(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(part.length).array());
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The exact bytes the platform signs for a command. */
    static byte[] commandSignedBytes(byte[] header, byte[] nonce, byte[] ciphertext) {
        return lengthPrefixed(utf8(COMMAND_SIGNATURE_DOMAIN), header, nonce, ciphertext);
    }

    /** The exact bytes a lock signs for an acknowledgement. */
    static byte[] ackSignedBytes(byte[] ack) {
        return lengthPrefixed(utf8(ACK_SIGNATURE_DOMAIN), ack);
    }

    static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(UUID_BYTES).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    static UUID uuid(byte[] bytes) {
        if (bytes.length != UUID_BYTES) {
            throw new IllegalArgumentException("a UUID is 16 bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
