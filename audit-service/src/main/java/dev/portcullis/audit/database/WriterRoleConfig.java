package dev.portcullis.audit.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The database role the service reads and writes with at run time (the reactive pool: every entry, alert,
 * query). Insert-only on the log tables (migration V10); the datasource user ({@code quarkus.datasource.username})
 * is what Flyway migrates with.
 */
@ConfigMapping(prefix = "portcullis.audit.database")
public interface WriterRoleConfig {

    @WithDefault("portcullis_audit_writer")
    String writerUsername();

    /** Absent: the datasource password (a deployment where the datasource user is the writer already). */
    Optional<String> writerPassword();
}
