package io.courier.it.examples;

import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.core.CourierException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The example of docs/client.md: a worker serving "greeter" and a client calling it, both on one broker.
 * Kept compiling and working by ClientWorkerExampleIT; change both together with the doc.
 */
public final class ClientWorkerExample {
    private ClientWorkerExample() {
    }

    @SuppressWarnings("try")   // the worker is used only by living until the end of the block
    public static void main(String[] args) throws Exception {
        String broker = args.length > 0 ? args[0] : "tcp://127.0.0.1:5555";
        ClientConfig config = ClientConfig.of(broker).withName("example");

        // A worker: up to 4 requests at once, each on a handler thread of its own.
        try (Worker worker = Worker.start(config, WorkerOptions.of("greeter").withCapacity(4),
                request -> Message.of("Hello, " + request.bodyAsString() + "!"));
             Client client = Client.connect(config)) {

            // Each attempt may take 2s; after a timeout the client tries twice more: 6s at worst.
            RequestOptions options = RequestOptions.of(Duration.ofSeconds(2), 2);
            Message request = Message.of("world").withHeader(Message.CONTENT_TYPE, "text/plain");
            try {
                Message reply = client.request("greeter", request, options).get(10, TimeUnit.SECONDS);
                System.out.println(reply.bodyAsString());   // Hello, world!
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CourierException failure) {
                    System.err.println("greeter failed: " + failure.reason() + ": " + failure.getMessage());
                } else {
                    throw e;
                }
            }
        }   // closes the client, then the worker: no thread or socket is left behind
    }
}
