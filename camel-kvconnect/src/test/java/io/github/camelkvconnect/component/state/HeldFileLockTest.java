package io.github.camelkvconnect.component.state;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectAccountLockedException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one try-lock of the state directory, shared by the account lock and the send directories' owner locks. */
class HeldFileLockTest {

    @TempDir
    Path dir;

    @Test
    void aLockHeldInThisJvmIsSomeoneElsesUntilReleased() throws Exception {
        Path file = dir.resolve("x.lock");
        HeldFileLock first = HeldFileLock.tryAcquire(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        assertNotNull(first);
        assertNull(HeldFileLock.tryAcquire(file, StandardOpenOption.WRITE), "held through another channel");
        first.close();
        try (HeldFileLock again = HeldFileLock.tryAcquire(file, StandardOpenOption.WRITE)) {
            assertNotNull(again, "free after close");
        }
    }

    @Test
    void withoutCreateAMissingFileIsAnError() {
        assertThrows(NoSuchFileException.class, () -> HeldFileLock.tryAcquire(dir.resolve("none.lock"), StandardOpenOption.WRITE));
    }

    @Test
    void accountLockIsExclusiveAndReleasedOnClose() throws Exception {
        String account = "praxis@kv-safenet.de";
        AccountLock lock = AccountLock.acquire(dir, account);
        assertThrows(KvConnectAccountLockedException.class, () -> AccountLock.acquire(dir, account));
        try (AccountLock other = AccountLock.acquire(dir, "other@kv-safenet.de")) {
            assertNotNull(other, "another account has its own lock");
        }
        lock.close();
        AccountLock.acquire(dir, account).close();
    }
}
