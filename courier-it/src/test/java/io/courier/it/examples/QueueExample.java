package io.courier.it.examples;

import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The queue example of docs/client.md and docs/queues.md: a producer that waits for the broker's confirmation and
 * a consumer that acks by returning. Kept compiling and working by QueueExampleIT; change both together with the
 * docs.
 */
public final class QueueExample {
    private QueueExample() {
    }

    public static void main(String[] args) throws Exception {
        String broker = args.length > 0 ? args[0] : "tcp://127.0.0.1:5555";
        try (Client client = Client.connect(ClientConfig.of(broker).withName("queue-example"))) {

            // Produce: the future completes once the broker has the message on disk.
            EnqueueOptions options = EnqueueOptions.defaults().withMessageId("order-42")   // dedup key
                    .withTtl(Duration.ofMinutes(10));
            EnqueueReceipt receipt = client.enqueue("orders", Message.of("ship order 42"), options)
                    .get(10, TimeUnit.SECONDS);
            System.out.println("stored as seq " + receipt.seq());

            // Consume: one delivery at a time per consumer; returning acks, throwing nacks with requeue.
            CountDownLatch done = new CountDownLatch(1);
            try (QueueConsumer consumer = client.consume("orders", ConsumeOptions.defaults().withPrefetch(16),
                    delivery -> {
                        System.out.println("got " + delivery.bodyAsString()
                                + (delivery.redelivered() ? " (again)" : ""));
                        done.countDown();
                    })) {
                consumer.awaitConsuming(Duration.ofSeconds(10));
                done.await(10, TimeUnit.SECONDS);
            }   // CANCEL: anything not settled yet goes back to the queue
        }
    }
}
