package dev.portcullis.identity.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.account.Accounts;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpSecrets;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Organizations, accounts with roles, real access tokens (code flow + PKCE) and row checks for the admin tests. */
@ApplicationScoped
public class AdminFixtures {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Accounts accounts;

    @Inject
    Clock clock;

    @Inject
    DataSource dataSource;

    public record Person(UUID id, UUID organizationId, String username, String password, byte[] totpKey) {
    }

    public UUID organization(String name) {
        UUID id = UUID.randomUUID();
        await(() -> accounts.upsertOrganization(id, name));
        return id;
    }

    public Person person(UUID organizationId, List<String> roles, boolean withTotp) {
        UUID id = UUID.randomUUID();
        String username = "p-" + id + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        byte[] key = null;
        if (withTotp) {
            key = new byte[20];
            new SecureRandom().nextBytes(key);
        }
        String secret = key == null ? null : TotpSecrets.encode(key);
        await(() -> accounts.upsert(new Accounts.AccountDefinition(id, organizationId, username, "Person " + id, password, secret, roles)));
        return new Person(id, organizationId, username, password, key);
    }

    /** A browser at the password page of a new sign-in of the CLI client, from the given source address. */
    public static Browser startFlow(String source) {
        String query = "response_type=code&client_id=" + DemoSeed.CLI_CLIENT
                + "&redirect_uri=" + URLEncoder.encode(DemoSeed.CLI_REDIRECT, StandardCharsets.UTF_8)
                + "&scope=openid&state=s&code_challenge=" + Tokens.s256("x".repeat(43)) + "&code_challenge_method=S256";
        Browser browser = new Browser().source(source);
        browser.authorize(URI.create(IdentityTestProfile.ISSUER + "/oauth2/authorize?" + query));
        return browser;
    }

    /** Signs in through the authorization-code flow with PKCE and returns the access token. */
    public String accessToken(String username, String password, byte[] totpKey) {
        String verifier = Tokens.random256();
        String query = "response_type=code&client_id=" + DemoSeed.CLI_CLIENT
                + "&redirect_uri=" + URLEncoder.encode(DemoSeed.CLI_REDIRECT, StandardCharsets.UTF_8)
                + "&scope=openid&state=s&code_challenge=" + Tokens.s256(verifier) + "&code_challenge_method=S256";
        Browser browser = new Browser().source("192.0.2." + (1 + new SecureRandom().nextInt(250)));
        browser.authorize(URI.create(IdentityTestProfile.ISSUER + "/oauth2/authorize?" + query));
        HttpResponse<String> step = browser.password(username, password);
        if (totpKey != null) {
            assertEquals(200, step.statusCode(), step.body());
            step = browser.totp(Totp.code(totpKey, clock.instant()));
        }
        assertEquals(302, step.statusCode(), step.body());
        String code = Browser.query(URI.create(step.headers().firstValue("Location").orElseThrow())).get("code");
        String form = form(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", DemoSeed.CLI_REDIRECT,
                "client_id", DemoSeed.CLI_CLIENT, "code_verifier", verifier));
        try {
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            Matcher matcher = ACCESS_TOKEN.matcher(token.body());
            if (!matcher.find()) {
                throw new AssertionError(token.body());
            }
            return matcher.group(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String accessToken(Person person) {
        return accessToken(person.username(), person.password(), person.totpKey());
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of one row as a map (column label → value), or null when there is none. */
    public Map<String, Object> row(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                }
                return row;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event types the outbox holds for this key, in order. */
    public List<String> outboxTypes(String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select event_type from outbox_event where record_key = ? order by id")) {
            statement.setString(1, key);
            List<String> types = new java.util.ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    types.add(result.getString(1));
                }
            }
            return types;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private interface Work {
        io.smallrye.mutiny.Uni<?> run();
    }

    private static void await(Work work) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> work.run().replaceWithVoid());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
