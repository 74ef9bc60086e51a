package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatusTableTest {

    @Test
    void shouldRenderServicesAsATableWithASummary() throws Exception {
        String document = """
                {"brokerId":"b-1","uptimeSeconds":3725,
                 "endpoints":{"frontend":"tcp://127.0.0.1:5555","publish":"tcp://127.0.0.1:5556",
                              "subscribe":"tcp://127.0.0.1:5557","http":"off"},
                 "services":[{"name":"echo","workers":2,"capacity":8,"busy":1,"queued":0},
                             {"name":"resize-images","workers":1,"capacity":1,"busy":1,"queued":12}],
                 "workers":[{"service":"echo","protocol":"courier","name":"w1","capacity":4,"busy":1},
                            {"service":"echo","protocol":"mdp/0.1","name":"w2","capacity":4,"busy":0},
                            {"service":"resize-images","protocol":"courier","name":"w3","capacity":1,"busy":1}],
                 "connections":4,"queuedRequests":12,"malformedMessages":0}
                """;

        assertThat(StatusTable.render(document)).isEqualTo("""
                broker b-1 at tcp://127.0.0.1:5555, up 1h 2m
                SERVICE        WORKERS  CAPACITY  BUSY  QUEUED
                echo                 2         8     1       0
                resize-images        1         1     1      12
                0 streams, 0 subscriptions (0 lagging)
                2 services, 3 workers, 4 connections, 12 queued requests, 0 malformed messages
                """);
    }

    @Test
    void shouldRenderStreamsAndSubscriptions() throws Exception {
        String document = """
                {"brokerId":"b-3","uptimeSeconds":7,"endpoints":{"frontend":"tcp://h:1"},"services":[],"workers":[],
                 "streams":[{"name":"prices.eur","headSeq":120,"firstSeq":21,"retained":100,"retainedBytes":6400}],
                 "subscriptions":[{"peer":"00aa","id":1,"prefix":"prices.","policy":"LAG","lagging":true,
                                   "delivered":90,"lost":0},
                                  {"peer":"00ab","id":1,"prefix":"","policy":"LAG","lagging":false,
                                   "delivered":120,"lost":0}],
                 "connections":2,"queuedRequests":0,"malformedMessages":0}
                """;

        assertThat(StatusTable.render(document)).isEqualTo("""
                broker b-3 at tcp://h:1, up 7s
                (no services)
                STREAM      HEAD  FIRST  RETAINED  BYTES
                prices.eur   120     21       100   6400
                1 stream, 2 subscriptions (1 lagging)
                0 services, 0 workers, 2 connections, 0 queued requests, 0 malformed messages
                """);
    }

    @Test
    void shouldSayWhenThereAreNoServices() throws Exception {
        String document = "{\"brokerId\":\"b-2\",\"uptimeSeconds\":5,\"endpoints\":{\"frontend\":\"tcp://h:1\"},"
                + "\"services\":[],\"workers\":[],\"connections\":1,\"queuedRequests\":0,\"malformedMessages\":1}";

        assertThat(StatusTable.render(document)).isEqualTo("""
                broker b-2 at tcp://h:1, up 5s
                (no services)
                0 streams, 0 subscriptions (0 lagging)
                0 services, 0 workers, 1 connection, 0 queued requests, 1 malformed message
                """);
    }

    @Test
    void shouldRenderQueuesWithTheirDeadLetters() throws Exception {
        String document = """
                {"brokerId":"b-4","uptimeSeconds":7,"endpoints":{"frontend":"tcp://h:1"},"services":[],"workers":[],
                 "queues":[{"name":"jobs","depth":120,"unacked":8,"consumers":2,"enqueued":500,"acked":372,
                            "redelivered":3,"deadLettered":2,"expired":0,"deadLetterQueue":"jobs.dlq"},
                           {"name":"jobs.dlq","depth":2,"unacked":0,"consumers":0,"deadLetterQueue":"jobs.dlq.dlq"}]}
                """;

        assertThat(StatusTable.render(document)).contains("""
                QUEUE     DEPTH  UNACKED  CONSUMERS  DEAD-LETTERS
                jobs        120        8          2             2
                jobs.dlq      2        0          0             -
                """);
    }
}
