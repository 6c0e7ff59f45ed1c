package dev.portcullis.audit.alert;

import dev.portcullis.kit.problem.ProblemException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may go (SSRF care): http or https only, a host, no user info; and unless allowed by
 * configuration, no address that is not public (loopback, private, link-local, unique-local, any,
 * multicast). Checked when a subscription is created and again, after name resolution, before each attempt.
 */
public final class WebhookTarget {

    static final int MAX_URL_LENGTH = 2048;

    private WebhookTarget() {
    }

    /** Syntax only (no name resolution): throws a 400 problem naming the parameter {@code url}. */
    public static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw invalid("url is required (at most " + MAX_URL_LENGTH + " characters)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw invalid("url must name a host, without user info or fragment");
        }
        return uri;
    }

    /** Resolves the host (blocking: call off the event loop) and refuses non-public addresses unless allowed. */
    public static void checkAddresses(URI uri, boolean allowPrivate) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
            if (!allowPrivate && !isPublic(address)) {
                throw new NonPublicAddressException(uri.getHost() + " resolves to a non-public address");
            }
        }
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) != 0xfc; // fc00::/7 unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        // 100.64.0.0/10 shared address space, 0.0.0.0/8
        return !(first == 100 && second >= 64 && second < 128) && first != 0;
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-parameter", detail).with("parameter", "url");
    }

    /** The URL's host is not a public address and this deployment does not allow that. */
    public static final class NonPublicAddressException extends RuntimeException {
        public NonPublicAddressException(String message) {
            super(message);
        }
    }
}
