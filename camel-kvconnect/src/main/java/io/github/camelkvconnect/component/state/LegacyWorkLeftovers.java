package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leftovers of the work directory layout of earlier versions: those put every message being received in
 * {@code <stateDirectory>/work/msg-<number>} (a temporary directory named by {@code Files.createTempDirectory}), which a
 * crash could leave behind with decrypted content. Today's layout ({@link WorkDirectories}) never cleans there, so the
 * consumer removes them once at its start, holding its account lock.
 * <p>
 * Only direct entries of {@code work/} named {@code msg-} and digits are touched: today's account directories always
 * contain an {@code @} and never match. Symbolic links are never followed: a link is removed as a link, its target
 * stays. Only counts are logged: names inside those directories may be attachment names, i.e. content.
 */
public final class LegacyWorkLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyWorkLeftovers.class);

    /** The name {@code Files.createTempDirectory(work, "msg-")} gave: the prefix and an unsigned decimal number. */
    private static final Pattern LEGACY_MESSAGE_DIRECTORY = Pattern.compile("msg-[0-9]+");

    private LegacyWorkLeftovers() {
    }

    /**
     * Removes the leftovers below {@code <stateDirectory>/work}. A failure is logged (count and exception type only) and
     * does not stop the consumer's start.
     *
     * @return the number of leftover entries removed
     */
    public static int remove(Path stateDirectory) {
        Path work = stateDirectory.resolve("work");
        if (!Files.isDirectory(work)) {
            return 0;
        }
        int removed = 0;
        int failed = 0;
        String failure = null; // the type only: messages of file system errors name paths
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(work,
                entry -> LEGACY_MESSAGE_DIRECTORY.matcher(entry.getFileName().toString()).matches())) {
            for (Path leftover : leftovers) {
                try {
                    deleteWithoutFollowingLinks(leftover);
                    removed++;
                } catch (NoSuchFileException e) {
                    // the consumer of another account sharing the state directory removed it at the same time
                } catch (IOException e) {
                    failed++;
                    failure = failure == null ? e.getClass().getSimpleName() : failure;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            failed++;
            failure = failure == null ? e.getClass().getSimpleName() : failure;
        }
        if (removed > 0) {
            LOG.info("Removed {} leftover message work director{} of an earlier version's layout (work/msg-*) from the "
                     + "state directory", removed, removed == 1 ? "y" : "ies");
        }
        if (failed > 0) {
            LOG.warn("{} leftover message work director{} of an earlier version's layout (work/msg-*) could not be removed "
                     + "({}); they may hold decrypted content: remove them by hand",
                    failed, failed == 1 ? "y" : "ies", failure);
        }
        return removed;
    }

    /** A file, a link (not its target) or a directory tree; links inside are removed as links. */
    private static void deleteWithoutFollowingLinks(Path root) throws IOException {
        // walkFileTree without FOLLOW_LINKS reports a link as a file and never descends into its target
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException && !file.equals(root)) {
                    return FileVisitResult.CONTINUE; // removed meanwhile by another consumer's start
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
