package io.courier.broker.security;

import io.courier.core.ConfigException;
import io.courier.core.certificate.CertificateFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client public keys the broker lets in: every {@code *.key} certificate in a directory, each known by its
 * name (the file name without {@code .key}). {@link #rescan()} reads the directory again when its listing or a
 * file's size or time changed, so adding or removing a file takes effect without a restart. A malformed file is
 * skipped with one WARN naming it and the problem; a missing directory lets nobody in. Confined to the ZAP
 * handler's thread ({@code courier-zap}).
 */
public final class Allowlist {
    private static final Logger LOG = LoggerFactory.getLogger(Allowlist.class);

    private final Path dir;
    private Map<String, String> nameByKey = Map.of();
    private Map<String, String> stamp;   // file name to size and time; null before the first scan
    private FileTime dirStamp;   // the directory's own modification time at the last rescan
    private final Set<String> reported = new HashSet<>();

    public Allowlist(Path dir) {
        this.dir = dir;
    }

    /** The certificate name of {@code publicKey} (Z85), or null when it is not allowed. */
    public String nameOf(String publicKey) {
        return nameByKey.get(publicKey);
    }

    /** How many keys are allowed now. */
    public int size() {
        return nameByKey.size();
    }

    /**
     * True when the directory itself changed (a file added, removed or renamed) since the last {@link #rescan}:
     * one stat, cheap enough to ask for every unknown key.
     */
    public boolean directoryChanged() {
        return !Objects.equals(directoryStamp(), dirStamp);
    }

    /** Reads the directory again if it changed; true when the allowed keys were reloaded. */
    public boolean rescan() {
        dirStamp = directoryStamp();
        Map<String, String> now = listing();
        if (now.equals(stamp)) {
            return false;
        }
        boolean first = stamp == null;
        stamp = now;
        Map<String, String> keys = new HashMap<>();
        for (String file : now.keySet()) {
            Path path = dir.resolve(file);
            try {
                CertificateFile certificate = CertificateFile.read(path);
                String previous = keys.putIfAbsent(certificate.publicKey(), certificate.name());
                if (previous != null) {
                    warnOnce(file + "#dup", "allowlist file ignored file={} problem=same key as '{}'", path, previous);
                }
            } catch (ConfigException e) {
                warnOnce(file + "#" + now.get(file), "allowlist file ignored file={} problem={}", path,
                        e.getMessage());
            }
        }
        Set<String> before = new HashSet<>(nameByKey.values());
        nameByKey = Map.copyOf(keys);
        Set<String> after = new HashSet<>(nameByKey.values());
        if (first) {
            LOG.info("allowlist loaded dir={} keys={}", dir, nameByKey.size());
        } else {
            Set<String> added = new HashSet<>(after);
            added.removeAll(before);
            before.removeAll(after);
            LOG.info("allowlist reloaded dir={} keys={} added={} removed={}", dir, nameByKey.size(), added, before);
        }
        return true;
    }

    private FileTime directoryStamp() {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code *.key} file names to "size/modified", sorted; empty when the directory cannot be read. */
    private Map<String, String> listing() {
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + CertificateFile.PUBLIC_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.put(entry.getFileName().toString(), Files.size(entry) + "/"
                            + Files.getLastModifiedTime(entry).toMillis());
                }
            }
            reported.remove("#dir");
        } catch (IOException e) {
            warnOnce("#dir", "allowlist directory not readable, no client key is allowed dir={} error={}", dir,
                    e.toString());
            files.clear();
        }
        return files;
    }

    private void warnOnce(String what, String format, Object... args) {
        if (reported.add(what)) {
            LOG.warn(format, args);
        }
    }
}
