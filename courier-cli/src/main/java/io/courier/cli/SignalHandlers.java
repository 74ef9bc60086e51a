package io.courier.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one POSIX signal ({@code TERM}, {@code INT}, {@code HUP}) to an action, through {@code sun.misc.Signal}
 * (module jdk.unsupported) used by reflection, since javac flags direct use under {@code -Werror}. The action runs
 * on the JVM's signal thread and must be quick (count down a latch, set a flag). Stateless; any thread.
 *
 * <p>A signal cannot be routed when {@code sun.misc.Signal} is missing, when the JVM reserves it ({@code -Xrs}),
 * or when the process inherited it as ignored (started under {@code nohup}, or in the background by a
 * non-interactive shell): the JVM then keeps it ignored. Each case is logged at DEBUG and reported as empty.
 */
final class SignalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SignalHandlers.class);

    private SignalHandlers() {
    }

    /**
     * Routes signal {@code name} (without the SIG prefix) to {@code action} until the returned restore runs, which
     * puts the previous handler back. Empty when the signal cannot be routed here.
     */
    static Optional<Runnable> handle(String name, Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object ignored = handlerType.getField("SIG_IGN").get(null);
            Object proxy = Proxy.newProxyInstance(SignalHandlers.class.getClassLoader(), new Class<?>[] {handlerType},
                    (self, method, args) -> {
                        if ("handle".equals(method.getName())) {
                            action.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "courier " + name + " signal handler";
                        };
                    });
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            Object previous = handle.invoke(null, signal, proxy);
            if (previous == ignored) {
                // the JVM leaves an inherited SIG_IGN in place and returns it: nothing was installed
                LOG.debug("signal ignored by this process, not handled signal={}", name);
                return Optional.empty();
            }
            return Optional.of(() -> restore(handle, signal, previous, name));
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the signal is reserved or unknown on this platform
            LOG.debug("signal not handled signal={} error={}", name, e.getCause().toString());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("signal handlers unavailable signal={} error={}", name, e.toString());
        }
        return Optional.empty();
    }

    private static void restore(Method handle, Object signal, Object previous, String name) {
        try {
            handle.invoke(null, signal, previous);
        } catch (ReflectiveOperationException e) {
            LOG.debug("could not restore signal handler signal={} error={}", name, e.toString());
        }
    }
}
