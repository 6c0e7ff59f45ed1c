package dev.portcullis.identity.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.partner.Partners;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Load driver (not a test: excluded from {@code ./mvnw verify}, run with
 * {@code ./mvnw -pl identity-service -am verify -Pbenchmark}). Drives the running identity-service
 * over real HTTP against real PostgreSQL on the same 2 cores, and writes its numbers to
 * {@code identity-service/target/benchmarks/}; {@code docs/benchmarks.md} quotes them.
 */
@Tag("benchmark")
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class IdentityThroughputBenchmark {

    static final ClientID E2E = new ClientID(DemoSeed.E2E_CLIENT);
    static final URI E2E_REDIRECT = URI.create(DemoSeed.E2E_REDIRECT);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    static final int LOGINS = Integer.getInteger("bench.logins", 400);
    static final int WARM_UP = Integer.getInteger("bench.warm-up", 40);

    static final int TOKENS = Integer.getInteger("bench.tokens", 4000);

    @Inject
    TestAccounts accounts;

    @Inject
    Partners partners;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Client-credentials token issuance for a partner: each request carries a freshly signed
     * private_key_jwt assertion (ES256, single-use jti), and the token is minted for the organizations
     * that granted the partner access. Signing the assertion is part of the measured work (client side).
     */
    @Test
    void clientCredentialsTokens() throws Exception {
        Partners.Partner partner = partners.create(UUID.fromString(IdentityTestProfile.ORG));
        IntConsumer issue = i -> {
            String form = "grant_type=client_credentials&scope=unlock"
                    + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                    + "&client_assertion=" + partners.assertion(partner, claims -> { });
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(Partners.TOKEN_ENDPOINT))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        run("client-credentials token (private_key_jwt, ES256)", TOKENS / 10, TOKENS, issue);
        write("identity-client-credentials.md");
    }

    final List<String> report = Collections.synchronizedList(new ArrayList<>());

    /** One full sign-in: authorize, password, TOTP, code redeemed for tokens (each account once: TOTP codes are single-use). */
    @Test
    void codeFlowLogins() throws Exception {
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(IdentityTestProfile.ISSUER));
        List<TestAccounts.TestAccount> people = new ArrayList<>();
        for (int i = 0; i < LOGINS + WARM_UP; i++) {
            people.add(accounts.create(true));
        }
        IntConsumer login = i -> {
            TestAccounts.TestAccount person = people.get(i);
            CodeVerifier verifier = new CodeVerifier();
            AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"), Scope.parse("openid unlock"), E2E,
                    E2E_REDIRECT).endpointURI(provider.getAuthorizationEndpointURI()).state(new State()).nonce(new Nonce())
                    .codeChallenge(verifier, CodeChallengeMethod.S256).build();
            Browser browser = new Browser();
            browser.authorize(request.toURI());
            assertEquals(200, browser.password(person.username(), person.password()).statusCode());
            HttpResponse<String> redirect = browser.totp(accounts.code(person.totpKey()));
            assertEquals(302, redirect.statusCode(), redirect.body());
            try {
                AuthorizationCode code = AuthorizationResponse.parse(URI.create(redirect.headers().firstValue("Location").orElseThrow()))
                        .toSuccessResponse().getAuthorizationCode();
                HTTPResponse tokens = new TokenRequest(provider.getTokenEndpointURI(), E2E,
                        new AuthorizationCodeGrant(code, E2E_REDIRECT, verifier)).toHTTPRequest().send();
                assertEquals(200, tokens.getStatusCode(), tokens.getBody());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        run("code-flow login (password + TOTP, code redeemed)", WARM_UP, LOGINS, login);
        write("identity-code-flow.md");
    }

    /** Runs {@code warmUp} then {@code count} operations on {@link #CONCURRENCY} threads and reports rate and latency. */
    void run(String name, int warmUp, int count, IntConsumer operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            drive(pool, 0, warmUp, operation, new ConcurrentLinkedQueue<>());
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            drive(pool, warmUp, count, operation, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            report.add(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |", name, CONCURRENCY, count,
                    count / seconds, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 1.0)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void drive(ExecutorService pool, int offset, int count, IntConsumer operation, ConcurrentLinkedQueue<Long> latencies)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    operation.accept(offset + i);
                    latencies.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
    }

    private static double ms(List<Long> sorted, double quantile) {
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(quantile * sorted.size()) - 1));
        return sorted.get(index) / 1e6;
    }

    void write(String file) throws Exception {
        Path out = Path.of("target", "benchmarks", file);
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("| operation | concurrency | operations | per second | p50 ms | p95 ms | p99 ms | max ms |");
        lines.add("|---|---|---|---|---|---|---|---|");
        lines.addAll(report);
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }
}
