package io.github.camelkvconnect.component.state;

import java.io.IOException;
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

    private final HeldFileLock lock;

    private AccountLock(HeldFileLock lock) {
        this.lock = lock;
    }

    /** @throws KvConnectAccountLockedException if another consumer holds the lock */
    public static AccountLock acquire(Path stateDirectory, String account) throws IOException {
        Files.createDirectories(stateDirectory);
        Path file = stateDirectory.resolve(StateFiles.accountFileName(account, ".lock"));
        HeldFileLock lock = HeldFileLock.tryAcquire(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (lock == null) {
            throw new KvConnectAccountLockedException(account, file);
        }
        return new AccountLock(lock);
    }

    @Override
    public void close() {
        lock.close();
    }
}
