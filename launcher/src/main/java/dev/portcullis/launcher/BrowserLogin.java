package dev.portcullis.launcher;

import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sign-in for a person at a browser, as native apps do it (RFC 8252): a one-shot listener on the
 * loopback redirect URI, the authorization URL printed for the browser, the code exchanged with PKCE.
 */
final class BrowserLogin {

    private BrowserLogin() {
    }

    static OIDCTokens run(URI issuer) {
        HttpServer server = null;
        try {
            CodeFlow flow = new CodeFlow(issuer);
            CompletableFuture<URI> callback = new CompletableFuture<>();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", CodeFlow.REDIRECT_URI.getPort()), 0);
            server.createContext("/callback", exchange -> {
                callback.complete(URI.create(CodeFlow.REDIRECT_URI + "?" + exchange.getRequestURI().getRawQuery()));
                byte[] page = "<!doctype html><title>Portcullis</title><p>Signed in. You can close this tab.</p>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            server.start();
            System.err.println("Open this URL in a browser on this machine and sign in (waiting up to 5 minutes):");
            System.err.println("  " + flow.authorizationUri());
            return flow.exchange(callback.get(5, TimeUnit.MINUTES), Map.of());
        } catch (Exception e) {
            throw new IllegalStateException("sign-in failed: " + e.getMessage(), e);
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
