package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.camelkvconnect.component.KvConnectAccountLockedException;

/**
 * The exclusive right to consume an account with one state directory: an OS file lock on
 * {@code <stateDirectory>/<account>.lock}, held while the consumer runs. Two consumers on one account and state
 * directory (in this JVM or another process) would share the receive directory, the delivered records and the failure
 * ledger, and could deliver a message twice; the second one is refused at start. The lock dies with the process, so a
 * crash leaves nothing to clean up.
 */
public final class AccountLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private AccountLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws KvConnectAccountLockedException if another consumer holds the lock */
    public static AccountLock acquire(Path stateDirectory, String account) throws IOException {
        Files.createDirectories(stateDirectory);
        Path file = stateDirectory.resolve(StateFiles.accountFileName(account, ".lock"));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another consumer in this JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new KvConnectAccountLockedException(account, file);
        }
        return new AccountLock(channel, lock);
    }

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
