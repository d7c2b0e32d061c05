package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive OS lock on a file, taken without waiting, together with the channel it lives on. Java reports a lock
 * that another process holds as {@code null} and one held through another channel of this JVM as
 * {@link OverlappingFileLockException}; both mean "someone else owns it", and {@link #tryAcquire} answers null for
 * both. The lock dies with the process, so a crash leaves no stale lock behind.
 * <p>
 * A lock this JVM holds through this class is recognised before any channel is opened on the file: on Linux the OS
 * lock is a POSIX record lock, and closing <em>any</em> descriptor of the file in this process drops it. Probing such
 * a file by opening, trying and closing a channel would silently hand the lock to the next process that asks (another
 * instance sharing the state directory would then consume the same account, or sweep a live send directory).
 */
final class HeldFileLock implements AutoCloseable {

    /** Identities of the files locked through this class in this JVM; guarded by the class. */
    private static final Set<Object> HELD = new HashSet<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Object identity;
    private boolean closed;

    private HeldFileLock(FileChannel channel, FileLock lock, Object identity) {
        this.channel = channel;
        this.lock = lock;
        this.identity = identity;
    }

    /**
     * Opens the file with {@code options} and tries to lock it.
     *
     * @return the held lock, or null if another process or another channel of this JVM holds it
     */
    static HeldFileLock tryAcquire(Path file, OpenOption... options) throws IOException {
        synchronized (HeldFileLock.class) {
            Object before = identityOrNull(file);
            if (before != null && HELD.contains(before)) {
                // held in this JVM: answered without opening (and closing) a descriptor of the file
                return null;
            }
            FileChannel channel = FileChannel.open(file, options);
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    Object identity = identityOrNull(file);
                    if (identity == null) {
                        identity = file.toAbsolutePath().normalize();
                    }
                    HELD.add(identity);
                    return new HeldFileLock(channel, lock, identity);
                }
            } catch (OverlappingFileLockException e) {
                // held through another channel of this JVM: someone else's, like a lock of another process
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            channel.close();
            return null;
        }
    }

    /** The file's identity (device and inode where the platform has them; it survives a rename), null if missing. */
    private static Object identityOrNull(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        Object key = attributes.fileKey();
        return key != null ? key : file.toAbsolutePath().normalize();
    }

    /** Releases the lock and closes its channel; again: nothing (the file may be locked by a new owner by then). */
    @Override
    public void close() {
        synchronized (HeldFileLock.class) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lock.release();
            } catch (IOException ignore) {
                // closing the channel releases it as well
            } finally {
                try {
                    channel.close();
                } catch (IOException ignore) {
                    // nothing left to do
                } finally {
                    HELD.remove(identity);
                }
            }
        }
    }
}
