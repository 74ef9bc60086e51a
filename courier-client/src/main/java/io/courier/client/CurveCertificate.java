package io.courier.client;

import io.courier.core.certificate.CertificateFile;
import io.courier.core.certificate.CertificateWriter;
import io.courier.core.certificate.CurveKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zeromq.ZMQ;

/**
 * A CURVE certificate (ZeroMQ RFC 26 keys) in the ZeroMQ/CZMQ certificate format: {@code NAME.key} holds the
 * public key, {@code NAME.key_secret} both keys. {@code courier keygen NAME} writes such a pair; files written by
 * CZMQ's {@code zcert} or libzmq tools load too.
 *
 * <p>Immutable and thread-safe. {@link #load} and {@link #writeTo} block on file I/O.
 */
public final class CurveCertificate {
    private final CertificateFile file;

    private CurveCertificate(CertificateFile file) {
        this.file = file;
    }

    /**
     * Reads a certificate file, public ({@code NAME.key}) or secret ({@code NAME.key_secret}).
     *
     * @throws io.courier.core.ConfigException naming the file and the problem (missing, unreadable, not a
     *                                             certificate, a malformed key)
     */
    public static CurveCertificate load(Path file) {
        Objects.requireNonNull(file, "file");
        return new CurveCertificate(CertificateFile.read(file));
    }

    /** A new key pair named {@code name}, made by JeroMQ's CURVE implementation. */
    public static CurveCertificate generate(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("certificate name must be letters, digits, '.', '_' or '-', and "
                    + "not start with '.' [name=" + name + "]");
        }
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        return new CurveCertificate(new CertificateFile(name, pair.publicKey, pair.secretKey, metadata));
    }

    /** The certificate's name: its file name without {@code .key} or {@code .key_secret}. */
    public String name() {
        return file.name();
    }

    /** The public key, 40 Z85 characters. */
    public String publicKey() {
        return file.publicKey();
    }

    /** The secret key, 40 Z85 characters; empty for a public certificate. */
    public Optional<String> secretKey() {
        return Optional.ofNullable(file.secretKey());
    }

    /** The {@code metadata} section, in file order. */
    public Map<String, String> metadata() {
        return file.metadata();
    }

    /** The public key's 32 bytes. */
    public byte[] publicKeyBytes() {
        return CurveKeys.decode("public-key of " + name(), publicKey());
    }

    /**
     * Writes {@code NAME.key} and {@code NAME.key_secret} in {@code dir} (created if missing); the secret file
     * is readable by its owner only. Returns both paths, public first.
     *
     * @throws java.nio.file.FileAlreadyExistsException when either file exists: nothing is overwritten
     * @throws IllegalStateException                    when this certificate has no secret key
     */
    public List<Path> writeTo(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (file.secretKey() == null) {
            throw new IllegalStateException("certificate '" + name() + "' has no secret key to write");
        }
        return CertificateWriter.write(file, dir);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CurveCertificate c && file.equals(c.file);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    /** Name and public key; never the secret key. */
    @Override
    public String toString() {
        return "CurveCertificate[name=" + name() + ", publicKey=" + publicKey()
                + (file.secretKey() == null ? "" : ", secret") + "]";
    }
}
