package io.github.camelkvconnect.emulator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.github.camelkvconnect.emulator.EmulatorException;

/**
 * A directory for large message bodies: in-flight uploads, and without a data directory also the stored copies of
 * large messages. Emptied at start and at {@link #close()}; a temporary spool directory is removed entirely.
 */
public final class Spool implements AutoCloseable {

    /** Bodies up to this size stay in memory. */
    public static final int IN_MEMORY_LIMIT = 1024 * 1024;

    private final Path dir;
    private final boolean temporary;

    private Spool(Path dir, boolean temporary) {
        this.dir = dir;
        this.temporary = temporary;
    }

    /**
     * @param dataDir the data directory, or null for a temporary directory
     * @return an empty spool
     */
    public static Spool create(Path dataDir) {
        try {
            if (dataDir == null) {
                return new Spool(Files.createTempDirectory("kvconnect-emulator-spool-"), true);
            }
            Path dir = Files.createDirectories(dataDir.resolve("spool"));
            Spool spool = new Spool(dir, false);
            spool.empty();
            return spool;
        } catch (IOException | UncheckedIOException e) {
            throw new EmulatorException("Cannot create the spool directory for large messages: " + e.getMessage(), e);
        }
    }

    /** @return the spool directory ({@code <data dir>/spool}, or a temporary directory removed at close) */
    public Path dir() {
        return dir;
    }

    /**
     * @return a new empty file in the spool
     * @throws IOException if it cannot be created
     */
    public Path newFile() throws IOException {
        return Files.createTempFile(dir, "msg-", ".eml");
    }

    private void empty() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (temporary) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                empty();
            }
        } catch (IOException | UncheckedIOException e) {
            // Only leftovers of a test server; the operating system's temp cleanup gets them.
        }
    }
}
