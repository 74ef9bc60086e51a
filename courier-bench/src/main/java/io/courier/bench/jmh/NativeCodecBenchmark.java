package io.courier.bench.jmh;

import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Request;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

/**
 * Cost of {@link NativeCodec} for a REQUEST with a 64-byte body, with no headers or with a W3C
 * {@code traceparent}. Decoding consumes its message, so {@link #decodeRequest} rebuilds one from the encoded
 * frames each time; {@link #messageFromFrames} measures that rebuild alone, to subtract. Run as in
 * docs/benchmarks.md: {@code java -cp ... org.openjdk.jmh.Main NativeCodecBenchmark}. State per JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NativeCodecBenchmark {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Param({"none", "traceparent"})
    public String headers;

    private Request request;
    private byte[][] frames;

    @Setup
    public void setUp() {
        byte[] body = new byte[64];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        Headers h = headers.equals("none") ? Headers.EMPTY : Headers.of(Map.of(Headers.TRACEPARENT, TRACEPARENT));
        request = new Request(42L, "bench", 5_000, h, body);
        ZMsg encoded = NativeCodec.encode(request);
        frames = new byte[encoded.size()][];
        int i = 0;
        for (ZFrame frame : encoded) {
            frames[i++] = frame.getData();
        }
    }

    @Benchmark
    public ZMsg encodeRequest() {
        return NativeCodec.encode(request);
    }

    @Benchmark
    public NativeMessage decodeRequest() {
        return NativeCodec.decode(messageFromFrames());
    }

    @Benchmark
    public NativeMessage encodeThenDecodeRequest() {
        return NativeCodec.decode(NativeCodec.encode(request));
    }

    /** The baseline inside {@link #decodeRequest}: a received message's frames, as a fresh {@link ZMsg}. */
    @Benchmark
    public ZMsg messageFromFrames() {
        ZMsg msg = new ZMsg();
        for (byte[] frame : frames) {
            msg.add(frame);
        }
        return msg;
    }
}
