package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Temporary files readable by the owner only: they may hold decrypted content. */
public final class TempFiles {

    private TempFiles() {
    }

    public static Path create(Path directory, String prefix, String suffix) throws IOException {
        Files.createDirectories(directory);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, prefix, suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(directory, prefix, suffix);
    }

    public static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignore) {
                // a leftover temp file is cleaned up with the work directory
            }
        }
    }

    /** Deletes a file, or a directory with everything in it. */
    public static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        if (Files.isDirectory(path)) {
            try (var children = Files.list(path)) {
                children.forEach(TempFiles::deleteRecursively);
            } catch (IOException ignore) {
                // fall through to the delete attempt
            }
        }
        deleteQuietly(path);
    }
}
