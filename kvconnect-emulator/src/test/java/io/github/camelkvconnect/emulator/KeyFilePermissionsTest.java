package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.emulator.pki.OwnerOnlyFiles;

/** The CA private keys and the accounts file (password hashes) in the data directory are readable by the owner only. */
class KeyFilePermissionsTest {

    @TempDir
    Path dataDir;

    @Test
    void caKeysAndAccountsFileAreOwnerOnlyAndAWorldReadableKeyIsReported() throws Exception {
        assumeTrue(Files.getFileStore(dataDir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX only");
        try (KvConnectEmulator emulator = KvConnectEmulator.builder().dataDir(dataDir)
                .account(EmulatorAccount.ready("alice", "Secret12AB")).start()) {
            emulator.admin().createAccount(EmulatorAccount.ready("bob", "Secret12AB"));
        }
        for (String name : List.of("pki/root-ca.key.pem", "pki/user-ca.key.pem", "pki/tls-ca.key.pem", "accounts.json")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(name))),
                    name);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(OwnerOnlyFiles.OWNER_READ_WRITE));

        // a key written world-readable by an older emulator is reported at the next start
        Path key = dataDir.resolve("pki/user-ca.key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple, the tests' logging backend, writes to whatever System.err is at the time of each log call
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            KvConnectEmulator.builder().dataDir(dataDir).start().close();
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("chmod 600 " + key), log);
        assertFalse(log.contains("root-ca.key.pem"), "only the file that is open to others: " + log);
    }

    @Test
    void anExistingWorldReadableFileIsReplacedNotReused() throws Exception {
        assumeTrue(Files.getFileStore(dataDir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX only");
        Path file = Files.writeString(dataDir.resolve("secret.pem"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFiles.write(file, "new".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
