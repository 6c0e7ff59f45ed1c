package dev.portcullis.audit.alert;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.kit.problem.ProblemException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** SSRF care: only http(s) to a host; non-public addresses refused unless allowed. Literal addresses: no DNS needed. */
class WebhookTargetTest {

    @Test
    void onlyHttpOrHttpsUrlsNamingAHost() {
        for (String bad : new String[] {"ftp://example.com/x", "file:///etc/passwd", "gopher://h/", "example.com/hook",
                "http://user:pw@example.com/", "http:///path", "", "javascript:alert(1)"}) {
            assertThrows(ProblemException.class, () -> WebhookTarget.parse(bad), bad);
        }
        assertDoesNotThrow(() -> WebhookTarget.parse("https://hooks.example.com/portcullis?x=1"));
        assertDoesNotThrow(() -> WebhookTarget.parse("http://93.184.216.34:8080/hook"));
    }

    @Test
    void nonPublicAddressesAreRefusedUnlessAllowed() {
        for (String internal : new String[] {"http://127.0.0.1/", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/", "http://100.64.0.1/", "http://[::1]/",
                "http://[fd00::1]/", "http://[fe80::1]/", "http://224.0.0.1/"}) {
            URI uri = WebhookTarget.parse(internal);
            assertThrows(WebhookTarget.NonPublicAddressException.class, () -> WebhookTarget.checkAddresses(uri, false), internal);
            assertDoesNotThrow(() -> WebhookTarget.checkAddresses(uri, true), internal);
        }
        assertDoesNotThrow(() -> WebhookTarget.checkAddresses(URI.create("http://93.184.216.34/"), false));
        assertDoesNotThrow(() -> WebhookTarget.checkAddresses(URI.create("http://[2606:2800:220:1:248:1893:25c8:1946]/"), false));
    }
}
