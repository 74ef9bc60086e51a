package io.courier.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a reload action when the config file changes, and when asked to ({@link #request}, which SIGHUP calls).
 * Changes are seen through a {@link WatchService} on the file's directory (which also catches editors that
 * replace the file, and symlink swaps when the file is a link), settled for {@value #DEBOUNCE_MILLIS} ms so that
 * one save gives one reload, and through the file's modification time, polled every {@value #POLL_MILLIS} ms as a
 * fallback (network file systems send no events). A reload runs only when the file's bytes differ from those last
 * loaded, except a requested one, which always runs.
 *
 * <p>Runs on its own daemon thread, {@code courier-config-watch}, which also runs the reload action; the action's
 * failures are logged and the watch goes on. {@link #request} may be called from any thread, including the JVM's
 * signal thread.
 */
final class ConfigWatcher implements AutoCloseable {
    static final long DEBOUNCE_MILLIS = 200;
    static final long POLL_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long TICK_MILLIS = 50;
    private static final Duration JOIN = Duration.ofSeconds(6);   // longer than Broker.reload's own 5s bound

    private final Path file;
    private final Consumer<String> reload;
    private final BlockingQueue<String> requests = new ArrayBlockingQueue<>(1);
    private final WatchService watch;
    private final boolean followsLink;
    private final Thread thread;
    private volatile boolean running = true;

    // Confined to the watch thread.
    private byte[] loaded;
    private Object stamp;
    private long settleAt;
    private long pollAt;

    private ConfigWatcher(Path file, Consumer<String> reload) {
        this.file = file == null ? null : file.toAbsolutePath().normalize();
        this.reload = reload;
        this.watch = this.file == null ? null : register(this.file);
        this.followsLink = this.file != null && Files.isSymbolicLink(this.file);
        this.loaded = this.file == null ? null : read(this.file);
        this.stamp = this.file == null ? null : stamp(this.file);
        this.thread = new Thread(this::run, "courier-config-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching {@code file} (null: no file, only requested reloads) and calls {@code reload} with what
     * triggered it ({@code "file changed"}, or the name given to {@link #request}).
     */
    static ConfigWatcher start(Path file, Consumer<String> reload) {
        ConfigWatcher watcher = new ConfigWatcher(file, Objects.requireNonNull(reload, "reload"));
        watcher.thread.start();
        return watcher;
    }

    /** Asks for a reload now, even if the file did not change; any thread. Requests made meanwhile coalesce. */
    void request(String trigger) {
        requests.offer(trigger);   // full: a reload is already due, which reads the file anew anyway
    }

    private static WatchService register(Path file) {
        Path dir = file.getParent();
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("config file not watched, polling its modification time instead dir={} pollMs={} error={}",
                    dir, POLL_MILLIS, e.toString());
            return null;
        }
    }

    private void run() {
        LOG.debug("config watch started file={}", file == null ? "(none, SIGHUP only)" : file);
        pollAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        while (running) {
            try {
                String requested = awaitSomething();
                if (requested != null) {
                    reloadNow(requested);
                } else if (settleAt != 0 && System.nanoTime() - settleAt >= 0) {
                    settleAt = 0;
                    reloadIfChanged();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                break;   // close(): the watch is over
            } catch (RuntimeException e) {
                LOG.warn("config watch step failed, watching on error={}", e.toString());
            }
        }
        LOG.debug("config watch stopped");
    }

    /** Waits up to one tick for a request or a file event; returns the request, if any. */
    private String awaitSomething() throws InterruptedException {
        String requested = requests.poll();
        if (requested != null) {
            return requested;
        }
        if (watch == null) {
            requested = requests.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            WatchKey key = watch.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            if (key != null) {
                if (key.pollEvents().stream().anyMatch(this::concernsFile)) {
                    settle();
                }
                key.reset();
            }
            requested = requests.poll();
        }
        if (file != null && System.nanoTime() - pollAt >= 0) {
            pollAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            if (!Objects.equals(stamp, stamp(file))) {
                settle();
            }
        }
        return requested;
    }

    /**
     * True for an event about the file's name, or a lost-events overflow. When the file is a symbolic link
     * (Kubernetes mounts a ConfigMap so), any change in the directory may have moved its target: the bytes tell.
     */
    private boolean concernsFile(WatchEvent<?> event) {
        return event.kind() == StandardWatchEventKinds.OVERFLOW || followsLink
                || file.getFileName().equals(event.context());
    }

    /** (Re)starts the settling time: the reload waits until the file has been quiet that long. */
    private void settle() {
        settleAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS);
    }

    private void reloadIfChanged() {
        byte[] now = read(file);
        stamp = stamp(file);
        if (Arrays.equals(now, loaded)) {
            LOG.debug("config file event, content unchanged file={}", file);
            return;
        }
        loaded = now;
        reload.accept("file changed");
    }

    private void reloadNow(String trigger) {
        settleAt = 0;
        if (file != null) {
            loaded = read(file);
            stamp = stamp(file);
        }
        reload.accept(trigger);
    }

    /** The file's bytes, or null when it cannot be read (the reload then reports why). */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** What the fallback poll compares: modification time and size, or null when the file is missing. */
    private static Object stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime() + "/" + attributes.size();
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops the watch; waits (bounded) for a reload in progress to end. Idempotent. */
    @Override
    public void close() {
        running = false;
        if (watch != null) {
            try {
                watch.close();   // wakes a poll in progress with ClosedWatchServiceException
            } catch (IOException e) {
                LOG.debug("config watch close failed error={}", e.toString());
            }
        }
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
