package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientSourcesTest {

    @Test
    void forwardedForIsIgnoredUnlessThePeerIsATrustedProxy() {
        assertEquals("198.51.100.7", ClientSources.resolve("198.51.100.7", List.of("203.0.113.9"), Set.of()));
        assertEquals("198.51.100.7", ClientSources.resolve("198.51.100.7", List.of("203.0.113.9"), Set.of("10.0.0.1")));
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheSource() {
        Set<String> proxies = Set.of("10.0.0.1", "10.0.0.2");
        // The client may prepend anything; only what our proxies appended counts.
        assertEquals("203.0.113.9", ClientSources.resolve("10.0.0.1", List.of("1.2.3.4, 203.0.113.9, 10.0.0.2"), proxies));
        assertEquals("203.0.113.9", ClientSources.resolve("10.0.0.1", List.of("1.2.3.4", "203.0.113.9"), proxies));
        assertEquals("10.0.0.1", ClientSources.resolve("10.0.0.1", List.of(), proxies));
        assertEquals("10.0.0.2", ClientSources.resolve("10.0.0.1", List.of("not-an-ip, 10.0.0.2"), proxies));
    }

    @Test
    void ipv6SourcesAreKeyedByTheirSlash64() {
        assertEquals(ClientSources.resolve("2001:db8:1:2::1", List.of(), Set.of()),
                ClientSources.resolve("2001:db8:1:2:ffff::9", List.of(), Set.of()));
        assertEquals("2001:db8:1:2::/64", ClientSources.resolve("2001:db8:1:2::1", List.of(), Set.of()));
    }

    @Test
    void hostNamesAreNeverResolved() {
        assertEquals("10.0.0.1", ClientSources.resolve("10.0.0.1", List.of("localhost"), Set.of("10.0.0.1")));
        assertEquals(ClientSources.UNKNOWN, ClientSources.resolve("example.com", List.of(), Set.of()));
    }
}
