package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * An exclusive OS lock on a file, taken without waiting, together with the channel it lives on. Java reports a lock
 * that another process holds as {@code null} and one held through another channel of this JVM as
 * {@link OverlappingFileLockException}; both mean "someone else owns it", and {@link #tryAcquire} answers null for
 * both. The lock dies with the process, so a crash leaves no stale lock behind.
 */
final class HeldFileLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private HeldFileLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens the file with {@code options} and tries to lock it.
     *
     * @return the held lock, or null if another process or another channel of this JVM holds it
     */
    static HeldFileLock tryAcquire(Path file, OpenOption... options) throws IOException {
        FileChannel channel = FileChannel.open(file, options);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new HeldFileLock(channel, lock);
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

    /** Releases the lock and closes its channel. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignore) {
            // closing the channel releases it as well
        } finally {
            try {
                channel.close();
            } catch (IOException ignore) {
                // nothing left to do
            }
        }
    }
}
