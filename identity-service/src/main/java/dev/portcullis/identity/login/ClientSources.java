package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The source of a sign-in attempt, for per-source throttling: the TCP peer address of the request.
 * {@code X-Forwarded-For} is believed only when the peer is one of the explicitly configured trusted
 * proxies ({@code portcullis.identity.throttle.trusted-proxies}); then the source is the right-most
 * address in the chain that is not itself a trusted proxy. Any client can send that header, so by
 * default it is ignored. IPv6 sources are keyed by their /64 (one subscriber's usual allocation).
 */
@ApplicationScoped
public class ClientSources {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    static final String UNKNOWN = "unknown";

    @Inject
    CurrentVertxRequest currentRequest;

    @Inject
    IdentityConfig config;

    /** The source of the request being handled; call on the request's thread, before going async. */
    public String current() {
        RoutingContext context = currentRequest.getCurrent();
        if (context == null) {
            return UNKNOWN;
        }
        HttpServerRequest request = context.request();
        SocketAddress peer = request.remoteAddress();
        return resolve(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"),
                Set.copyOf(config.throttle().trustedProxies().orElse(List.of()).stream().map(ClientSources::canonical).toList()));
    }

    static String resolve(String peer, List<String> forwardedFor, Set<String> trustedProxies) {
        String source = canonical(peer);
        if (source == null) {
            return UNKNOWN;
        }
        if (trustedProxies.contains(source) && forwardedFor != null && !forwardedFor.isEmpty()) {
            List<String> chain = new ArrayList<>();
            for (String header : forwardedFor) {
                for (String hop : header.split(",")) {
                    chain.add(hop.strip());
                }
            }
            for (int i = chain.size() - 1; i >= 0; i--) {
                String hop = canonical(chain.get(i));
                if (hop == null) {
                    break; // garbage in the chain: keep the last address we could trust
                }
                source = hop;
                if (!trustedProxies.contains(hop)) {
                    break;
                }
            }
        }
        return key(source);
    }

    /** The canonical text of an IP literal, or null when it is not one (never a DNS lookup). */
    static String canonical(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!IP_LITERAL.matcher(a).matches() || !(a.contains(":") || a.chars().filter(c -> c == '.').count() == 3)) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static String key(String canonical) {
        try {
            byte[] bytes = InetAddress.getByName(canonical).getAddress();
            if (bytes.length == 16) {
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(String.format("%x:", ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
                }
                return prefix + ":/64";
            }
            return canonical;
        } catch (UnknownHostException e) {
            return UNKNOWN;
        }
    }
}
