package dev.portcullis.console.peer;

import dev.portcullis.console.ConsoleConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one HTTP client the console calls the services' APIs with (each call carries the signed-in person's own
 * token): connection timeout from {@code portcullis.console.registry-timeout}, redirects never followed.
 */
public class PeerClient {

    @Produces
    @Singleton
    WebClient client(Vertx vertx, ConsoleConfig config) {
        return WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.registryTimeout().toMillis())
                .setFollowRedirects(false)
                .setUserAgent("portcullis-console/1"));
    }

    void close(@Disposes WebClient client) {
        client.close();
    }
}
