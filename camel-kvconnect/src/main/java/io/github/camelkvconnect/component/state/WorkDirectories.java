package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Consumer;

import io.github.camelkvconnect.component.mime.TempFiles;

/**
 * The temporary directories of an account below {@code <stateDirectory>/work/<account>/}: {@code receive/} for the
 * consumer (one per account: the account lock makes it exclusive) and {@code send-<id>/} per endpoint instance for
 * outgoing messages. Several endpoints (other accounts, or a producer and a consumer of the same account) share one
 * state directory, so nobody may wipe the whole work directory: each cleans only what it owns, and leftovers of a crashed
 * process are recognised by their lock, which only a live owner holds.
 */
public final class WorkDirectories {

    private static final String LOCK = ".owner.lock";
    /** The lock file before it is locked and published as {@link #LOCK}; the sweep ignores it. */
    private static final String UNPUBLISHED_LOCK = ".owner.lock.new";
    private static final String SEND_PREFIX = "send-";

    private WorkDirectories() {
    }

    /** {@code <stateDirectory>/work/<account>}. */
    public static Path accountRoot(Path stateDirectory, String account) {
        return stateDirectory.resolve("work").resolve(StateFiles.accountFileName(account, ""));
    }

    /** The consumer's directory of an account; clean it only while holding the account lock. */
    public static Path receive(Path stateDirectory, String account) {
        return accountRoot(stateDirectory, account).resolve("receive");
    }

    /** Removes everything in a directory (decrypted leftovers of a crash) and makes sure it exists. */
    public static void clean(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                files.forEach(TempFiles::deleteRecursively);
            }
        }
        Files.createDirectories(directory);
    }

    /**
     * A new send directory for one endpoint instance, locked while it lives; send directories of the account whose owner
     * is gone (crash) are removed first.
     */
    public static Owned newSendDirectory(Path stateDirectory, String account) throws IOException {
        return newSendDirectory(stateDirectory, account, step -> {
        });
    }

    /** The steps of creating a send directory, for tests that run another endpoint's sweep between them. */
    enum CreationStep {
        DIRECTORY_CREATED,
        LOCK_FILE_CREATED,
        LOCKED,
        PUBLISHED
    }

    /**
     * As {@link #newSendDirectory(Path, String)}, calling {@code afterStep} after each step of the creation.
     * <p>
     * The sweep of other endpoints takes a send directory for abandoned when it can lock its {@code .owner.lock}. Creating
     * that file and then locking it would leave a moment in which another endpoint's sweep locks it first and deletes
     * the new directory. So the lock is taken on a file the sweep ignores and only then published under the name the
     * sweep looks at: a rename keeps the lock, which belongs to the open file, not to its name. Until then the sweep
     * sees a directory without {@code .owner.lock} and leaves it alone, as one being created. (A crash within these few
     * steps leaves an empty directory the sweep never removes; nothing has been written to it yet.)
     */
    static Owned newSendDirectory(Path stateDirectory, String account, Consumer<CreationStep> afterStep) throws IOException {
        Path root = accountRoot(stateDirectory, account);
        Files.createDirectories(root);
        removeAbandoned(root);
        Path dir = Files.createDirectory(root.resolve(SEND_PREFIX + UUID.randomUUID()));
        HeldFileLock lock = null;
        try {
            afterStep.accept(CreationStep.DIRECTORY_CREATED);
            Path unpublished = Files.createFile(dir.resolve(UNPUBLISHED_LOCK));
            afterStep.accept(CreationStep.LOCK_FILE_CREATED);
            lock = HeldFileLock.tryAcquire(unpublished, StandardOpenOption.WRITE);
            if (lock == null) {
                // nobody else looks at the unpublished name: only a foreign process tampering with the directory
                throw new IOException("Cannot lock the new send directory below " + root + "; try again");
            }
            afterStep.accept(CreationStep.LOCKED);
            Files.move(unpublished, dir.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
            afterStep.accept(CreationStep.PUBLISHED);
            return new Owned(dir, lock);
        } catch (IOException | RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            TempFiles.deleteRecursively(dir);
            throw e;
        }
    }

    private static void removeAbandoned(Path root) throws IOException {
        try (var dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (dir.getFileName().toString().startsWith(SEND_PREFIX) && Files.isDirectory(dir) && abandoned(dir)) {
                    TempFiles.deleteRecursively(dir);
                }
            }
        }
    }

    private static boolean abandoned(Path dir) {
        Path lockFile = dir.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return false; // being created by another instance: its lock is not published yet
        }
        try (HeldFileLock probe = HeldFileLock.tryAcquire(lockFile, StandardOpenOption.WRITE)) {
            return probe != null; // null: a live owner (another process, or an endpoint in this JVM) holds it
        } catch (IOException e) {
            return false;
        }
    }

    /** A directory held by a file lock; {@link #close()} releases the lock and deletes the directory. */
    public static final class Owned implements AutoCloseable {
        private final Path directory;
        private final HeldFileLock lock;

        Owned(Path directory, HeldFileLock lock) {
            this.directory = directory;
            this.lock = lock;
        }

        public Path directory() {
            return directory;
        }

        @Override
        public void close() {
            lock.close();
            TempFiles.deleteRecursively(directory);
        }
    }
}
