package io.courier.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code courier --version}: the version from the jar's manifest, and the JVM it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Courier.class.getPackage().getImplementationVersion();
        return new String[] {
            "courier " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
