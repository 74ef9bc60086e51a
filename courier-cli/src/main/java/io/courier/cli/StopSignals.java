package io.courier.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an ordinary stop, so a long-running command closes what it runs and
 * returns exit code 0 instead of the JVM's 143 or 130. A second signal while stopping halts at once. A shutdown
 * hook closes the command's resource on any other way out of the JVM.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported) by reflection, since javac flags direct use under
 * {@code -Werror}. Where it is missing or a signal is reserved ({@code -Xrs}), the command's shutdown hook still
 * closes cleanly, only with the JVM's exit code. {@link #close()} puts the previous handlers back. The handler
 * runs on the JVM's signal thread and only calls {@code onStop}, which must be quick (count down a latch).
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final List<Runnable> restores = new ArrayList<>();
    private final Thread hook;

    private StopSignals(Thread hook) {
        this.hook = hook;
    }

    /**
     * Routes TERM and INT to {@code onStop} until {@link #close()}, and runs {@code onShutdown} (an idempotent,
     * bounded close) in a shutdown hook if the JVM exits some other way first.
     */
    static StopSignals install(Runnable onStop, Runnable onShutdown) {
        StopSignals signals = new StopSignals(new Thread(onShutdown, "courier-shutdown"));
        Runtime.getRuntime().addShutdownHook(signals.hook);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable handler = () -> {
            if (stopping.compareAndSet(false, true)) {
                onStop.run();
            } else {
                Runtime.getRuntime().halt(130);   // second Ctrl-C: the user insists
            }
        };
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object proxy = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (self, method, args) -> {
                        if ("handle".equals(method.getName())) {
                            handler.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "courier stop signal handler";
                        };
                    });
            for (String name : SIGNALS) {
                signals.route(signalType, handle, name, proxy);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("signal handlers unavailable, relying on the shutdown hook error={}", e.toString());
        }
        return signals;
    }

    private void route(Class<?> signalType, Method handle, String name, Object proxy)
            throws ReflectiveOperationException {
        try {
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            Object previous = handle.invoke(null, signal, proxy);
            restores.add(() -> {
                try {
                    handle.invoke(null, signal, previous);
                } catch (ReflectiveOperationException e) {
                    LOG.debug("could not restore signal handler signal={} error={}", name, e.toString());
                }
            });
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the signal is reserved or unknown on this platform; the hook covers it
            LOG.debug("signal not handled signal={} error={}", name, e.getCause().toString());
        }
    }

    /** Puts the previous signal handlers back and removes the shutdown hook. Call it after closing. */
    @Override
    public void close() {
        restores.forEach(Runnable::run);
        restores.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs, and the close it calls is idempotent
        }
    }
}
