package io.courier.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;
import zmq.ZError;

@Timeout(10)
class ContextThreadsTest {
    @Test
    void shouldReportEventHandlerFailuresButNotTheCloseRace() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try (ZContext ctx = new ZContext(1)) {
            new ContextThreads("test", (t, e) -> reported.add(e)).install(ctx);
            Thread.UncaughtExceptionHandler handler = ctx.getNotificationExceptionHandler();

            handler.uncaughtException(Thread.currentThread(), new ZError.IOException(new ClosedChannelException()));
            IllegalStateException bug = new IllegalStateException("a bug in an I/O thread");
            handler.uncaughtException(Thread.currentThread(), bug);

            assertThat(reported).containsExactly(bug);
        }
    }
}
