package io.courier.broker.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a test, whether it runs in the module directory (Maven) or the root. */
final class ProjectFiles {
    private ProjectFiles() {
    }

    /** The file at {@code relative} to the repository root, e.g. {@code docs/configuration.md}. */
    static Path resolve(String relative) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path root = Files.isDirectory(dir.resolve("courier-broker")) ? dir : dir.getParent();
        return root.resolve(relative).normalize();
    }
}
