package io.courier.cli;

import io.courier.client.CurveCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier keygen NAME}: makes a CURVE key pair and writes it as a ZeroMQ certificate pair, {@code NAME.key}
 * (public, to share) and {@code NAME.key_secret} (owner-only). Never overwrites. Runs on the calling thread.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a CURVE key pair: NAME.key (public: put it in the broker's allowlist, or give it to",
                "clients as --server-key) and NAME.key_secret (secret, readable by its owner only).",
                "Exit 1 when a file exists already (nothing is overwritten), 2 for a bad name."},
        footer = {"", "Examples:",
                "  courier keygen broker --dir conf/keys",
                "  courier keygen alice && cp alice.key conf/keys/clients/"})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "1",
            description = "The certificate's name: letters, digits, '.', '_' or '-'. The broker reports an "
                    + "allowed client by it.")
    private String name;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where to write the files; created if missing (default: the current directory).")
    private Path dir;

    @Override
    public Integer call() throws IOException {
        CurveCertificate certificate;
        try {
            certificate = CurveCertificate.generate(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "NAME: '" + name
                    + "' is not a certificate name: use letters, digits, '.', '_' or '-'");
        }
        List<Path> files;
        try {
            files = certificate.writeTo(dir);
        } catch (FileAlreadyExistsException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(Errors.PREFIX + e.getFile() + " exists already; not overwriting it (remove it, or pick "
                    + "another name)");
            err.flush();
            return ExitCodes.ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("public key: " + certificate.publicKey());
        out.println("wrote " + files.get(0) + " (public) and " + files.get(1) + " (secret, owner-only)");
        out.flush();
        return ExitCodes.OK;
    }
}
