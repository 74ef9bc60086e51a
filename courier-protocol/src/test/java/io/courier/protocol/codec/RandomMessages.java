package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.RandomFrames;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.EventBatch;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import io.courier.protocol.codec.NativeMessage.Welcome;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Valid native messages of every command, drawn at random within the ranges of docs/protocol.md (sections 4 and
 * 9), and a field-by-field comparison of two messages (records compare arrays by identity).
 */
final class RandomMessages {
    /**
     * The commands generated here: sections 4 and 9; the queue commands (0x40 and up) have their own tests, and
     * BATCH, which carries other messages, has {@code BatchesTest}.
     */
    static final Command[] COMMANDS = Arrays.stream(Command.values())
            .filter(c -> (c.id() & 0xFF) < 0x40 && c != Command.BATCH).toArray(Command[]::new);
    private static final ErrorCode[] CODES = ErrorCode.values();

    private RandomMessages() {
    }

    /** A valid message of a random command. */
    static NativeMessage any(Random random) {
        return of(random, COMMANDS[random.nextInt(COMMANDS.length)]);
    }

    /** A valid message of {@code command}. */
    static NativeMessage of(Random r, Command command) {
        return switch (command) {
            case HELLO -> new Hello(RandomFrames.headers(r));
            case WELCOME -> new Welcome(RandomFrames.headers(r));
            case REQUEST -> new Request(r.nextLong(), name(r), u31(r, 0), RandomFrames.headers(r), body(r));
            case REPLY -> new Reply(r.nextLong(), RandomFrames.headers(r), body(r));
            case ERROR -> new ErrorReply(r.nextLong(), CODES[r.nextInt(CODES.length)], text(r));
            case HEARTBEAT -> new Heartbeat();
            case DISCONNECT -> new Disconnect(text(r));
            case READY -> new Ready(name(r), u31(r, 1), RandomFrames.headers(r));
            case JOB -> new Job(r.nextLong(), u31(r, 0), RandomFrames.headers(r), body(r));
            case DONE -> new Done(r.nextLong(), RandomFrames.headers(r), body(r));
            case FAIL -> new Fail(r.nextLong(), CODES[r.nextInt(CODES.length)], text(r));
            case STATUS -> new Status(r.nextLong());
            case STATUS_REPLY -> new StatusReply(r.nextLong(), text(r));
            case PUBLISH -> new Publish(r.nextLong(), name(r), RandomFrames.headers(r), body(r));
            case PUBACK -> new PubAck(r.nextLong(), name(r), seq(r));
            case SUBSCRIBE -> subscribe(r);
            case SUBSCRIBED -> new Subscribed(r.nextLong(), seqMap(r));
            case UNSUBSCRIBE -> new Unsubscribe(r.nextLong());
            case EVENT -> event(r);
            case LOSS -> {
                long[] range = range(r);
                yield new Loss(r.nextLong(), name(r), range[0], range[1], text(r));
            }
            case REPLAY -> {
                long[] range = range(r);
                yield new Replay(r.nextLong(), name(r), range[0], range[1]);
            }
            case UNSUBSCRIBED -> new Unsubscribed(r.nextLong(), text(r));
            case PUBLISH_BATCH, PUBACK_BATCH, EVENT_BATCH -> batch(r, command);
            default -> throw new IllegalArgumentException("no generator for " + command);
        };
    }

    /** True when both messages have the same command and equal fields, arrays compared by content. */
    static boolean same(NativeMessage a, NativeMessage b) {
        if (a.getClass() != b.getClass()) {
            return false;
        }
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!deepSame(x, y)) {
                    return false;
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return true;
    }

    /** Records (the entries of a batch) by their components, lists by their elements, arrays by content. */
    private static boolean deepSame(Object x, Object y) {
        if (x instanceof NativeMessage a && y instanceof NativeMessage b) {
            return same(a, b);
        }
        if (x instanceof PublishBatch.Entry a && y instanceof PublishBatch.Entry b) {
            return a.topic().equals(b.topic()) && a.headers().equals(b.headers()) && Arrays.equals(a.body(), b.body());
        }
        if (x instanceof List<?> a && y instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!deepSame(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Arrays.deepEquals(new Object[] {x}, new Object[] {y});
    }

    /** PUBLISH_BATCH, PUBACK_BATCH or EVENT_BATCH of 1 to 4 entries. */
    private static NativeMessage batch(Random r, Command command) {
        int n = 1 + r.nextInt(4);
        long id = r.nextLong();
        if (command == Command.PUBACK_BATCH) {
            long[] seqs = new long[n];
            for (int i = 0; i < n; i++) {
                seqs[i] = r.nextInt(4) == 0 ? 0 : seq(r);
            }
            return new PubAckBatch(id, seqs);
        }
        List<PublishBatch.Entry> entries = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new PublishBatch.Entry(name(r), RandomFrames.headers(r), body(r)));
            Event e = event(r);
            events.add(new Event(id, e.topic(), e.seq(), e.timestampMillis(), e.headers(), e.body()));
        }
        return command == Command.PUBLISH_BATCH ? new PublishBatch(id, entries) : new EventBatch(id, events);
    }

    /** The message with its arrays printed, for failure messages. */
    static String show(NativeMessage m) {
        StringBuilder sb = new StringBuilder(m.command().name()).append('(');
        for (RecordComponent c : m.getClass().getRecordComponents()) {
            try {
                String value = Arrays.deepToString(new Object[] {c.getAccessor().invoke(m)});
                sb.append(c.getName()).append('=').append(value, 0, Math.min(value.length(), 300)).append(' ');
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return sb.append(')').toString();
    }

    private static Subscribe subscribe(Random r) {
        StreamStart start = StreamStart.values()[r.nextInt(StreamStart.values().length)];
        long value = start.hasValue() ? r.nextLong() & Long.MAX_VALUE : 0;
        String prefix = r.nextInt(4) == 0 ? "" : RandomFrames.text(r, 1, r.nextInt(8) == 0 ? 255 : 20);
        SlowPolicy policy = SlowPolicy.values()[r.nextInt(SlowPolicy.values().length)];
        return new Subscribe(r.nextLong(), prefix, start, value, policy, seqMap(r));
    }

    private static Event event(Random r) {
        byte[][] body = new byte[1 + r.nextInt(4)][];
        for (int i = 0; i < body.length; i++) {
            body[i] = body(r);
        }
        return new Event(r.nextLong(), name(r), seq(r), r.nextLong() & Long.MAX_VALUE, RandomFrames.headers(r), body);
    }

    private static Map<String, Long> seqMap(Random r) {
        Map<String, Long> map = new HashMap<>();
        int count = r.nextInt(3) == 0 ? 0 : r.nextInt(5);
        for (int i = 0; i < count; i++) {
            map.put(name(r), r.nextBoolean() ? (long) r.nextInt(100) : r.nextLong() & Long.MAX_VALUE);
        }
        return map;
    }

    private static long[] range(Random r) {
        long a = seq(r);
        long b = seq(r);
        return new long[] {Math.min(a, b), Math.max(a, b)};
    }

    /** A seq, 1 to 2^63-1, often small. */
    private static long seq(Random r) {
        if (r.nextBoolean()) {
            return 1 + r.nextInt(1_000);
        }
        long value = r.nextLong() & Long.MAX_VALUE;
        return value == 0 ? Long.MAX_VALUE : value;
    }

    /** 1 to 255 bytes of UTF-8: a service name or a topic. */
    private static String name(Random r) {
        return RandomFrames.text(r, 1, r.nextInt(8) == 0 ? 255 : 24);
    }

    private static String text(Random r) {
        return r.nextInt(4) == 0 ? "" : RandomFrames.text(r, 0, 200);
    }

    private static byte[] body(Random r) {
        return RandomFrames.bytes(r, r.nextInt(10) == 0 ? r.nextInt(5_000) : r.nextInt(40));
    }

    /** 0 (or {@code min}) to 2^31-1, edges included. */
    private static int u31(Random r, int min) {
        return switch (r.nextInt(4)) {
            case 0 -> min;
            case 1 -> Integer.MAX_VALUE;
            default -> min + r.nextInt(Integer.MAX_VALUE - min);
        };
    }
}
