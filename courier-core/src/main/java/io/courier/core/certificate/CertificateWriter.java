package io.courier.core.certificate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;

/**
 * Writes a certificate pair, {@code NAME.key} (public) and {@code NAME.key_secret} (secret), never over existing
 * files. The secret file is readable by its owner only: created {@code rw-------} where the file system is POSIX;
 * elsewhere (Windows) its ACL is replaced by one entry granting its owner access, when the file system has ACLs.
 * Stateless; any thread.
 */
public final class CertificateWriter {
    private CertificateWriter() {
    }

    /**
     * Writes both files in {@code dir} (created if missing) and returns their paths, public first.
     *
     * @throws FileAlreadyExistsException when either file exists; nothing is written then
     * @throws IOException                when writing fails; a file written before the failure is removed
     */
    public static List<Path> write(CertificateFile certificate, Path dir) throws IOException {
        Path publicFile = dir.resolve(certificate.name() + CertificateFile.PUBLIC_SUFFIX);
        Path secretFile = dir.resolve(certificate.name() + CertificateFile.SECRET_SUFFIX);
        for (Path file : List.of(publicFile, secretFile)) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite it");
            }
        }
        Files.createDirectories(dir);
        Files.writeString(publicFile, certificate.publicText(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            createOwnerOnly(secretFile);
            Files.writeString(secretFile, certificate.secretText(), StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(publicFile);
            throw e;
        }
        return List.of(publicFile, secretFile);
    }

    /** Creates an empty file only its owner may read or write, before any secret goes in it. */
    static void createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return;
        }
        Files.createFile(file);
        AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
        if (acl != null) {
            UserPrincipal owner = Files.getOwner(file);
            acl.setAcl(List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build()));
        }
    }
}
