package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Temporary files readable by the owner only: they may hold decrypted content. */
final class TempFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private TempFiles() {
    }

    static Path create(Path directory, String prefix) throws IOException {
        if (!Files.isDirectory(directory)) {
            // createDirectories on an existing directory costs a mkdir call and an exception every time
            Files.createDirectories(directory);
        }
        if (POSIX) {
            return Files.createTempFile(directory, "kvc-smime-" + prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Path file = Files.createTempFile(directory, "kvc-smime-" + prefix, ".tmp");
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        file.toFile().setWritable(false, false);
        file.toFile().setWritable(true, true);
        return file;
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignore) {
                // nothing more we can do; the file is owner-only
            }
        }
    }
}
