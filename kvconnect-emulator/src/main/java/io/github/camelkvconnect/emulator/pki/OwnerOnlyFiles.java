package io.github.camelkvconnect.emulator.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files with secrets (CA private keys, the accounts file with password hashes) readable by the owner only:
 * on POSIX file systems the file is created with {@code rw-------} (0600), so no other user can open it even for the
 * moment between creation and a later chmod. The content goes to a temporary sibling first and replaces the target
 * atomically, so an existing file with wider permissions is replaced, not reused.
 */
public final class OwnerOnlyFiles {

    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Writes {@code content} to {@code target} (replacing it) as an owner-only file. */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (OutputStream out = Files.newOutputStream(Files.createFile(tmp, ownerOnly(dir)))) {
            out.write(content);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @return true if {@code file} is readable or writable by users other than its owner (POSIX only; false where the
     *         permissions cannot be read)
     */
    public static boolean openToOthers(Path file) {
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return false;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.removeAll(OWNER_READ_WRITE);
            permissions.remove(PosixFilePermission.OWNER_EXECUTE);
            return !permissions.isEmpty();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The creation attribute for an owner-only file in {@code dir}; none where POSIX permissions do not exist. */
    private static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE) };
        }
        return new FileAttribute<?>[0];
    }
}
