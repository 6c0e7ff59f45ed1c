package dev.portcullis.launcher;

import dev.portcullis.testkit.PgServer;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `./portcullis up | down | token | totp | login | status` */
public final class Main {

    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("portcullis.root", ".")).toAbsolutePath().normalize();
        MeshLayout layout = MeshLayout.local(root);
        String command = args.length == 0 ? "help" : args[0];
        int status = switch (command) {
            case "up" -> up(layout);
            case "down" -> down(layout);
            case "token" -> token(layout);
            case "totp" -> totp(layout);
            case "login" -> login(layout);
            case "status" -> status(layout);
            default -> help();
        };
        System.exit(status);
    }

    private static int up(MeshLayout layout) throws IOException {
        if (Files.exists(layout.stateDir().resolve("state.properties"))) {
            ERR.println("A mesh started from this directory is still recorded as running; run ./portcullis down first.");
            return 1;
        }
        Instant started = Instant.now();
        Files.createDirectories(layout.stateDir());
        PgServer postgres = postgres(layout);
        Optional<DemoPortfolio> existing = DemoState.load(layout.stateDir());
        DemoPortfolio demo;
        if (existing.isPresent()) {
            demo = existing.get();
        } else {
            dropDatabases(postgres, layout.databasePrefix());
            demo = DemoState.create(layout.stateDir());
        }
        ERR.println("Starting Kafka, five services and " + demo.doors().size() + " simulated locks (logs in " + layout.logs() + ") ...");
        Mesh mesh = Mesh.up(layout, demo, postgres, System.getenv("PORTCULLIS_KAFKA"));
        Duration took = Duration.between(started, Instant.now());
        printWelcome(mesh, took);
        return 0;
    }

    private static PgServer postgres(MeshLayout layout) {
        if (System.getenv("PG_URL") != null || Postgres.answers("127.0.0.1", 5432)) {
            return Postgres.server();
        }
        Path dataDir = Path.of("/var/tmp/portcullis-pg-" + Integer.toHexString(layout.repoRoot().toString().hashCode()));
        ERR.println("No PostgreSQL on 127.0.0.1:5432 and no PG_URL: starting one in " + dataDir);
        PgServer server = Postgres.startCluster(dataDir, 5432);
        try {
            Files.writeString(layout.stateDir().resolve("postgres.dir"), dataDir.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return server;
    }

    private static void dropDatabases(PgServer postgres, String prefix) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/postgres", postgres.user(),
                postgres.password() == null ? "" : postgres.password())) {
            List<String> names = new java.util.ArrayList<>();
            try (var rs = connection.createStatement().executeQuery(
                    "select datname from pg_database where datname like '" + prefix + "\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                connection.createStatement().execute("drop database if exists \"" + name + "\" with (force)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not reset the demo databases: " + e.getMessage(), e);
        }
    }

    private static void printWelcome(Mesh mesh, Duration took) throws IOException {
        MeshLayout layout = mesh.layout();
        DemoPortfolio demo = mesh.demo();
        DemoPortfolio.Door front = demo.door("Front entrance");
        DemoPortfolio.Door rooftop = demo.door("Rooftop terrace");
        String unlock = "curl -i -X POST -H \"Authorization: Bearer $(./portcullis token)\" "
                + "-H \"Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)\" "
                + layout.commandUrl() + "/v1/doors/" + front.id() + "/unlock";
        String rooftopUnlock = unlock.replace(front.id(), rooftop.id());
        String audit = "curl -s -H \"Authorization: Bearer $(./portcullis token)\" \"" + layout.auditUrl() + "/v1/audit?doorId=" + front.id() + "\"";

        OUT.printf("%nPortcullis is up in %.1f s.%n%n", took.toMillis() / 1000.0);
        OUT.println("  Login page:    " + layout.issuer() + "/oauth2/authorize   (run ./portcullis login to sign in with a browser)");
        OUT.println("  Console:       " + layout.consoleUrl() + "   (operators: portfolio health, events, alerts, approvals, turnovers, lockdown, audit; tenants: my doors, unlock, guest codes)");
        OUT.println("  Demo tenant:   " + demo.tenant().username());
        OUT.println("  Password:      " + demo.tenant().password());
        OUT.println("  TOTP code:     ./portcullis totp    (or add secret " + demo.tenant().totpSecret() + " to an authenticator app)");
        OUT.println("  Access token:  ./portcullis token   (password + TOTP through the authorization-code flow with PKCE)");
        if (demo.operator() != null) {
            OUT.println("  Demo operator: " + demo.operator().username() + " / " + demo.operator().password()
                    + "  (TOTP secret " + demo.operator().totpSecret() + "; admin API and partner consent: docs/identity-accounts.md, docs/partners.md)");
        }
        OUT.println();
        OUT.println("  Unlock the front door:");
        OUT.println("    " + unlock);
        OUT.println();
        OUT.println("  The rooftop opens only " + rooftop.tenantSchedule() + " (" + demo.timeZone() + "); now it is denied:");
        OUT.println("    " + rooftopUnlock);
        OUT.println("  The lock's view:   curl -s " + layout.simulatorUrl() + "/v1/locks/" + front.lockId());
        OUT.println("  The audit log:     " + audit);
        OUT.println();
        OUT.println("  Stop everything:   ./portcullis down");

        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("startupSeconds", took.toMillis() / 1000.0);
        facts.put("issuer", layout.issuer().toString());
        facts.put("loginUrl", layout.issuer() + "/oauth2/authorize");
        facts.put("clientId", OidcLogin.CLI_CLIENT_ID);
        facts.put("redirectUri", OidcLogin.CLI_REDIRECT_URI.toString());
        facts.put("username", demo.tenant().username());
        facts.put("password", demo.tenant().password());
        facts.put("totpSecret", demo.tenant().totpSecret());
        facts.put("totpCommand", "./portcullis totp");
        facts.put("tokenCommand", "./portcullis token");
        facts.put("unlockCurl", unlock);
        facts.put("commandUrl", layout.commandUrl().toString());
        facts.put("auditUrl", layout.auditUrl().toString());
        facts.put("simulatorUrl", layout.simulatorUrl().toString());
        facts.put("portfolio", demo.describe());
        DemoState.writePrivate(layout.stateDir().resolve("demo.json"), DemoState.json(facts));
    }

    private static int down(MeshLayout layout) throws IOException {
        List<String> stopped = Mesh.down(layout);
        Path pgDir = layout.stateDir().resolve("postgres.dir");
        if (Files.exists(pgDir)) {
            Postgres.stopCluster(Path.of(Files.readString(pgDir).trim()));
            Files.delete(pgDir);
            stopped.add("postgresql");
        }
        OUT.println(stopped.isEmpty() ? "Nothing was running." : "Stopped: " + String.join(", ", stopped));
        return 0;
    }

    /**
     * Prints an access token for the demo tenant. A token still valid for a minute is reused: TOTP codes
     * are single-use, so a second login within the same 30-second step would (rightly) be refused.
     */
    private static int token(MeshLayout layout) throws IOException {
        DemoPortfolio demo = requireDemo(layout);
        Path cache = layout.stateDir().resolve("token");
        if (Files.exists(cache)) {
            String cached = Files.readString(cache).trim();
            try {
                java.util.Date expiry = com.nimbusds.jwt.SignedJWT.parse(cached).getJWTClaimsSet().getExpirationTime();
                if (expiry != null && expiry.toInstant().isAfter(Instant.now().plusSeconds(60))) {
                    OUT.println(cached);
                    return 0;
                }
            } catch (java.text.ParseException unreadable) {
                // log in again
            }
        }
        String token = new OidcLogin(layout.issuer()).login(demo.tenant().username(), demo.tenant().password(),
                demo.tenant().totpSecret()).getAccessToken().getValue();
        DemoState.writePrivate(cache, token);
        OUT.println(token);
        return 0;
    }

    private static int totp(MeshLayout layout) throws IOException {
        DemoPortfolio demo = requireDemo(layout);
        OUT.println(Totp.code(demo.tenant().totpSecret(), Instant.now()));
        return 0;
    }

    private static int login(MeshLayout layout) throws IOException {
        requireDemo(layout);
        OUT.println(BrowserLogin.run(layout.issuer()).getAccessToken().getValue());
        return 0;
    }

    private static int status(MeshLayout layout) throws IOException {
        Path file = layout.stateDir().resolve("state.properties");
        if (!Files.exists(file)) {
            OUT.println("Not running.");
            return 0;
        }
        java.util.Properties state = new java.util.Properties();
        try (var in = Files.newBufferedReader(file)) {
            state.load(in);
        }
        for (String key : state.stringPropertyNames()) {
            if (key.startsWith("pid.")) {
                long pid = Long.parseLong(state.getProperty(key));
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                OUT.printf("  %-18s pid %-8d %s%n", key.substring(4), pid, alive ? "running" : "NOT RUNNING");
            }
        }
        return 0;
    }

    private static DemoPortfolio requireDemo(MeshLayout layout) throws IOException {
        return DemoState.load(layout.stateDir()).orElseThrow(() -> new IllegalStateException("No demo yet: run ./portcullis up"));
    }

    private static int help() {
        OUT.println("usage: ./portcullis up | down | status | token | totp | login");
        return 2;
    }

    static {
        // Keep the launcher's own Kafka admin client quiet.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

}
