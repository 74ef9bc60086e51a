package io.courier.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test helpers that damage a store's files the way crashes and bad disks do, and look for leftover threads. */
final class StoreFiles {
    private StoreFiles() {
    }

    /**
     * Copies a store's files while it is open and idle, as a {@code kill -9} would leave them: after a confirmed
     * (synced) write the files hold exactly what survives a crash. The LOCK file is left out.
     */
    static Path crashImage(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        for (Path file : list(source, "")) {
            String name = file.getFileName().toString();
            if (!name.equals("LOCK") && Files.isRegularFile(file)) {
                Files.copy(file, target.resolve(name));
            }
        }
        return target;
    }

    /** Files in {@code directory} whose names end with {@code suffix}, sorted by name (so by file number). */
    static List<Path> list(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                .sorted(Comparator.comparing(Path::toString))
                .collect(Collectors.toList());
        }
    }

    static Path manifest(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
    }

    static Path largest(List<Path> files) throws IOException {
        Path largest = files.get(0);
        for (Path file : files) {
            if (Files.size(file) > Files.size(largest)) {
                largest = file;
            }
        }
        return largest;
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int value = raf.read();
            raf.seek(position);
            raf.write(value ^ 0x5a);
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /** Live threads of any store: the writer {@code courier-store} and {@code courier-store-confirm}. */
    static List<String> storeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith(StoreWriter.THREAD_NAME))
            .collect(Collectors.toList());
    }
}
