package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Timeout(10)
class ReceiveLoopTest {
    private static final String BROKER = "tcp://127.0.0.1:5999";

    private final StringWriter err = new StringWriter();
    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> taken = new CompletableFuture<>();
    /** The items the loop handed to the command, and how often it flushed. */
    private final List<Object> handled = new ArrayList<>();
    private int flushes;

    /** A command with the options the loop reads. */
    @Command(name = "receive")
    static final class Receive {
        @Mixin
        BrokerOptions broker;

        @Mixin
        ReceiveLimits limits;
    }

    private ReceiveLoop loop(String... args) {
        Receive receive = new Receive();
        CommandLine cmd = new CommandLine(receive);
        cmd.setErr(new PrintWriter(err, true));
        cmd.parseArgs(args);
        return new ReceiveLoop(cmd, receive.limits, receive.broker, "subscription", "subscription to 'a.'");
    }

    /** Counts strings as messages; anything else is handled but not counted. */
    private final ReceiveLoop.Receiver receiver = new ReceiveLoop.Receiver() {
        @Override
        public boolean handle(Object item) {
            handled.add(item);
            return item instanceof String;
        }

        @Override
        public void flush() {
            flushes++;
        }
    };

    @Test
    void shouldEndWithZeroOnceCountMessagesArrived() throws Exception {
        taken.complete(null);
        items.addAll(List.of("one", 42, "two", "three"));

        int code = loop("--broker", BROKER, "--count", "2").run(() -> true, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(handled).containsExactly("one", 42, "two");
        assertThat(items).containsExactly("three");
        assertThat(flushes).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldSayHowManyOfCountArrivedWithinTheTimeout() throws Exception {
        taken.complete(null);
        items.add("one");

        int code = loop("--broker", BROKER, "--count", "2", "--timeout", "100ms")
                .run(() -> true, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.NO_REPLY);
        assertThat(err.toString()).isEqualTo("courier: got 1 of 2 messages within 100ms (timeout)\n");
        assertThat(flushes).isEqualTo(1);
    }

    @Test
    void shouldSayWhenNoMessageCameForTheTimeout() throws Exception {
        taken.complete(null);

        int code = loop("--broker", BROKER, "--timeout", "50ms").run(() -> true, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.NO_REPLY);
        assertThat(err.toString()).isEqualTo("courier: no message for 50ms (timeout)\n");
    }

    @Test
    void shouldSayWhetherTheBrokerOrNoBrokerLeftItUntaken() throws Exception {
        int code = loop("--broker", BROKER, "--timeout", "50ms").run(() -> true, taken, items, receiver);
        int unanswered = loop("--broker", BROKER, "--timeout", "50ms").run(() -> false, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.NO_REPLY);
        assertThat(unanswered).isEqualTo(ExitCodes.NO_REPLY);
        assertThat(err.toString()).isEqualTo("courier: the broker did not take the subscription within 50ms (timeout)\n"
                + "courier: no broker answers at " + BROKER + " within 50ms (timeout)\n");
    }

    @Test
    void shouldEndWithTheExitCodeOfARefusal() throws Exception {
        taken.completeExceptionally(new CourierException(Reason.REFUSED, "subscribe to 'a.' refused: not allowed"));
        items.add(new ReceiveLoop.Ended("refused"));

        int code = loop("--broker", BROKER).run(() -> true, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).isEqualTo("courier: subscribe to 'a.' refused: not allowed\n");
    }

    @Test
    void shouldEndWithOneWhenTheBrokerEndsItLater() throws Exception {
        taken.complete(null);
        items.addAll(List.of("one", new ReceiveLoop.Ended("broker shutting down")));

        int code = loop("--broker", BROKER, "--count", "5").run(() -> true, taken, items, receiver);

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(handled).containsExactly("one");
        assertThat(err.toString()).isEqualTo("courier: the broker ended the subscription to 'a.': broker shutting "
                + "down\n");
    }

    @Test
    void shouldEndWithOneOnceStdoutIsGone() throws Exception {
        taken.complete(null);
        items.addAll(List.of("one", "two"));
        ReceiveLoop.Receiver closedStdout = new ReceiveLoop.Receiver() {
            @Override
            public boolean handle(Object item) {
                handled.add(item);
                return true;
            }

            @Override
            public boolean stdoutGone() {
                return true;
            }
        };

        int code = loop("--broker", BROKER).run(() -> true, taken, items, closedStdout);

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(handled).as("asked once the queue is empty").containsExactly("one", "two");
    }
}
