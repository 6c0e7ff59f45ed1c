package dev.portcullis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The resources as a service's {@code @QuarkusTest} uses them. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "quarkus"))
@QuarkusTestResource(KafkaResource.class)
class QuarkusResourcesTest {

    @InjectDatabase
    Database database;

    @Test
    void configPointsAtAFreshDatabaseAndTheSharedBroker() throws Exception {
        var config = ConfigProvider.getConfig();
        String bootstrap = config.getValue("kafka.bootstrap.servers", String.class);
        assertEquals(KafkaResource.bootstrapServers(), bootstrap, "the static accessor sees the broker the app got");
        assertEquals(bootstrap, config.getValue("mp.messaging.connector.smallrye-kafka.bootstrap.servers", String.class));

        assertNotNull(database, "@InjectDatabase");
        String jdbcUrl = config.getValue("quarkus.datasource.jdbc.url", String.class);
        assertEquals(database.jdbcUrl(), jdbcUrl);
        assertEquals(database.reactiveUrl(), config.getValue("quarkus.datasource.reactive.url", String.class));
        assertTrue(database.name().startsWith("quarkus_"), database.name());
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE outbox (id bigserial PRIMARY KEY, payload bytea)");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM outbox")) {
                assertTrue(rows.next());
                assertEquals(0, rows.getInt(1));
            }
        }

        try (KafkaCompanion companion = KafkaResource.companion()) {
            companion.produceStrings().fromRecords(new ProducerRecord<>("quarkus.test", "k", "v"))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        assertEquals(1, KafkaResource.records("quarkus.test", 1, Duration.ofSeconds(30)).size());
    }
}
