package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.LoggerFactory;

/** Temporary files readable by the owner only: they may hold decrypted content. */
public final class TempFiles {

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private TempFiles() {
    }

    public static Path create(Path directory, String prefix, String suffix) throws IOException {
        Files.createDirectories(directory);
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, prefix, suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Path file = Files.createTempFile(directory, prefix, suffix);
        restrictToOwner(file);
        return file;
    }

    /**
     * Owner-only access where POSIX permissions are not available (e.g. Windows, some network file systems): the
     * java.io.File permission calls, which do what the platform offers. Where they cannot (Windows keeps its ACLs, which
     * the permission calls cannot narrow), a warning says so once: the state directory then has to be protected by its
     * location (a directory only the service account can read).
     */
    static void restrictToOwner(Path file) {
        java.io.File f = file.toFile();
        boolean ok = f.setReadable(false, false);
        ok &= f.setReadable(true, true);
        ok &= f.setWritable(false, false);
        ok &= f.setWritable(true, true);
        if (!ok && WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(TempFiles.class).warn("The file system of {} cannot restrict temporary files to their "
                                                          + "owner; keep the stateDirectory in a directory only this "
                                                          + "service's account can read", file.getParent());
        }
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

    /**
     * Deletes a file, a symbolic link or a directory with everything in it, as far as possible (failures are skipped:
     * what stays is cleaned with the work directory later).
     * <p>
     * Symbolic links are never followed: a link, at the top or anywhere inside, is deleted as a link and its target stays
     * untouched. A link inside a work directory (put there by mistake, or by someone who can write to the state
     * directory) would otherwise make this delete whatever it points to.
     */
    public static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            // without FileVisitOption.FOLLOW_LINKS the walk reads attributes without following links: a link to a
            // directory is reported through visitFile (deleted as a link) and never descended into
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // unreadable attributes or a directory that cannot be opened: try the entry itself, go on with the rest
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    deleteQuietly(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignore) {
            // the visitor swallows per-entry failures; nothing else is thrown that could be acted on here
        }
    }
}
