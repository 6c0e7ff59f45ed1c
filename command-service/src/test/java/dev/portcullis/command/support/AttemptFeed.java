package dev.portcullis.command.support;

import dev.portcullis.testkit.KafkaResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;

/** The attempt change feed (AttemptChangeFeed) as tests need it. */
public final class AttemptFeed {

    private AttemptFeed() {
    }

    /**
     * The feed follows the unlock topic from the latest offsets: waits until a watcher consumer group has its
     * partitions, so the events of a test are not published before it listens.
     */
    public static void awaitAssigned() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                        .filter(id -> id.startsWith("command-watchers-")).toList();
                for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
                    long assigned = group.members().stream().mapToLong(member -> member.assignment().topicPartitions().stream()
                            .filter(partition -> partition.topic().equals("portcullis.unlock.v1")).count()).sum();
                    if (assigned > 0) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the attempt feed's consumer got no partitions of portcullis.unlock.v1");
    }
}
