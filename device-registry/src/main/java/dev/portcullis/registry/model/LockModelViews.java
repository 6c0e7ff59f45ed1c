package dev.portcullis.registry.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

public final class LockModelViews {

    private LockModelViews() {
    }

    @RegisterForReflection
    public record Capacity(int maxUsers, int maxCredentials) {
    }

    @RegisterForReflection
    public record Support(SupportStatus status, LocalDate endOfSupport) {
    }

    /** A lock model as operators see it. */
    @RegisterForReflection
    public record LockModel(UUID id, String manufacturer, String model, List<CredentialType> credentialTypes, Capacity capacity,
            Support support, String firmwareSigningKeyId) {

        /** Columns of lock_model aliased as {@link #of} reads them; {@code prefix} is the table alias. */
        public static String columns(String alias) {
            return alias + ".id AS model_id, " + alias + ".manufacturer, " + alias + ".model AS model_name, " + alias + ".credential_types, "
                    + alias + ".max_users, " + alias + ".max_credentials, " + alias + ".end_of_support, " + alias + ".firmware_signing_key";
        }

        public static LockModel of(Row row, LocalDate today, int endingSoonDays) {
            if (row.getUUID("model_id") == null) {
                return null;
            }
            LocalDate end = row.getLocalDate("end_of_support");
            io.vertx.mutiny.core.buffer.Buffer key = row.getBuffer("firmware_signing_key");
            return new LockModel(row.getUUID("model_id"), row.getString("manufacturer"), row.getString("model_name"),
                    java.util.Arrays.stream(row.getArrayOfStrings("credential_types")).map(CredentialType::valueOf).toList(),
                    new Capacity(row.getInteger("max_users"), row.getInteger("max_credentials")),
                    new Support(SupportStatus.on(today, end, endingSoonDays), end),
                    key == null ? null : dev.portcullis.lock.protocol.KeyIds.ofSpki(key.getBytes()));
        }
    }

    /** Creates a lock model, or (PUT) replaces what may change of it. */
    public record LockModelBody(String manufacturer, String model, List<String> credentialTypes, Integer maxUsers, Integer maxCredentials,
            LocalDate endOfSupport, String firmwareSigningKey) {
    }
}
