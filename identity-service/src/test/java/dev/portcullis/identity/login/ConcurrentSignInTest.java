package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sign-ins finishing at the same moment each commit on their own. A flush that deleted the flow
 * entity once left some of eight simultaneous completions waiting for ever with their transaction
 * open; every round here must finish, within a bound far above its normal fraction of a second.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class ConcurrentSignInTest {

    static final int AT_ONCE = 8;
    static final int ROUNDS = 4;

    @Inject
    TestAccounts accounts;

    @Test
    void simultaneousCompletionsAllCommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                // Half finish with TOTP, half with the password alone: the flow is changed on the way in one path, not the other.
                List<TestAccounts.TestAccount> people = new ArrayList<>();
                List<Browser> browsers = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    TestAccounts.TestAccount person = accounts.create(i % 2 == 0);
                    Browser browser = LoginSecurityTest.startFlow();
                    if (person.totpKey() != null) {
                        assertEquals(200, browser.password(person.username(), person.password()).statusCode());
                    }
                    people.add(person);
                    browsers.add(browser);
                }
                List<CompletableFuture<HttpResponse<String>>> finishing = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    TestAccounts.TestAccount person = people.get(i);
                    Browser browser = browsers.get(i);
                    finishing.add(CompletableFuture.supplyAsync(() -> person.totpKey() != null
                            ? browser.totp(accounts.code(person.totpKey()))
                            : browser.password(person.username(), person.password()), pool));
                }
                CompletableFuture.allOf(finishing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                for (CompletableFuture<HttpResponse<String>> done : finishing) {
                    HttpResponse<String> response = done.get();
                    assertEquals(302, response.statusCode(), response.body());
                    assertTrue(response.headers().firstValue("Location").orElseThrow().contains("code="));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
