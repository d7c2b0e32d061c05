package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The locks of the state directory seen from another process (a second JVM, as a second instance of the application
 * sharing the state directory). On Linux the OS lock is a POSIX record lock: closing any descriptor of the file in the
 * owning process drops it, so a probe in the owner's JVM (a second consumer of the account, another endpoint's sweep
 * for abandoned send directories) must not open and close the file.
 */
class OtherProcessLockTest {

    @TempDir
    Path state;

    @Test
    void accountLockStaysHeldForOtherProcessesAfterAProbeInThisJvm() throws Exception {
        String account = "praxis@kv-safenet.de";
        try (AccountLock lock = AccountLock.acquire(state, account)) {
            Path file = state.resolve(StateFiles.accountFileName(account, ".lock"));
            assertEquals("held", lockFromOtherProcess(file), "before any probe");
            // a second consumer of the account in this JVM is refused ...
            assertNull(HeldFileLock.tryAcquire(file, StandardOpenOption.WRITE));
            // ... and that must not have released the lock for everybody else
            assertEquals("held", lockFromOtherProcess(file), "after a probe in the owner's JVM");
        }
    }

    @Test
    void sendDirectoryStaysOwnedForOtherProcessesAfterAnotherEndpointsSweep() throws Exception {
        String account = "praxis@kv-safenet.de";
        try (WorkDirectories.Owned first = WorkDirectories.newSendDirectory(state, account)) {
            // a second endpoint of the account starts in this JVM: its sweep probes the first one's lock
            try (WorkDirectories.Owned second = WorkDirectories.newSendDirectory(state, account)) {
                assertTrue(second.directory().toFile().isDirectory());
                // another process' sweep would take the first directory for abandoned if it could lock it
                assertEquals("held", lockFromOtherProcess(first.directory().resolve(".owner.lock")));
            }
        }
    }

    /** Runs {@link Probe} in a new JVM: "held" if the file is locked by someone, "free" if that JVM got the lock. */
    private static String lockFromOtherProcess(Path file) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe process ends");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The other process: tries the lock once and says what it found. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                System.out.println(channel.tryLock() != null ? "free" : "held");
            }
        }
    }
}
