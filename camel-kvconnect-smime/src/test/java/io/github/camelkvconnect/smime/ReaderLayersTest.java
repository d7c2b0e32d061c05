package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader's two ways through a message's layers give the same result: in memory (messages up to
 * {@link SmimeReader.Builder#inMemoryBytes(long)}) and through temporary files (larger ones; forced here with 0). In
 * memory no file is written unless the caller asks for the entity's file.
 */
class ReaderLayersTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path dir;

    /** What a read did in its work directory: the names of the files it created, and the entity bytes. */
    private record Outcome(List<String> created, byte[] entity, VerificationResult verification) {
    }

    private Outcome read(Path transport, SmimeReader.Builder builder, Path work) throws Exception {
        Files.createDirectories(work);
        try (WatchService watch = work.getFileSystem().newWatchService()) {
            work.register(watch, ENTRY_CREATE, ENTRY_DELETE);
            String entityName;
            byte[] entity;
            VerificationResult verification;
            try (DecryptedMessage m = builder.workDirectory(work).build().read(transport)) {
                entityName = m.entityFile().getFileName().toString();
                entity = Files.readAllBytes(m.entityFile());
                verification = m.verification();
            }
            // the entity file's deletion on close is the read's last file event: once it has arrived, all have
            List<String> created = new ArrayList<>();
            boolean entityDeleted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!entityDeleted && System.nanoTime() < deadline) {
                WatchKey key = watch.poll(100, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> e : key.pollEvents()) {
                    String name = String.valueOf(e.context());
                    if (e.kind() == ENTRY_CREATE) {
                        created.add(name.replaceAll("^kvc-smime-([a-z]+-).*", "$1"));
                    } else if (e.kind() == ENTRY_DELETE && name.equals(entityName)) {
                        entityDeleted = true;
                    }
                }
                key.reset();
            }
            assertTrue(entityDeleted, "the entity file is deleted on close");
            return new Outcome(created, entity, verification);
        }
    }

    @ParameterizedTest
    @EnumSource(SmimeProfile.class)
    void memoryAndFilesGiveTheSameEntity(SmimeProfile profile) throws Exception {
        Path transport = dir.resolve("transport.eml");
        try (OutputStream out = Files.newOutputStream(transport)) {
            SmimeWriter.builder().profile(profile).credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                    .trustAnchors(PKI.anchors()).build()
                    .write(businessEntity("Befund " + profile), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        }
        SmimeReader.Builder reader = SmimeReader.builder().profiles(profile).credentials(BOB).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate()));

        Outcome memory = read(transport, reader, dir.resolve("memory"));
        Outcome files = read(transport, reader.inMemoryBytes(0), dir.resolve("files"));

        assertEquals(VerificationStatus.VALID, memory.verification().status(), memory.verification().detail());
        assertEquals(VerificationStatus.VALID, files.verification().status(), files.verification().detail());
        assertArrayEquals(files.entity(), memory.entity());
        assertTrue(new String(memory.entity(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("Befund " + profile));
        assertEquals(List.of("entity-"), memory.created(), "in memory only the business entity gets a file");
        assertTrue(files.created().containsAll(List.of("cms-", "dec-")), "through files: " + files.created());
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void realTwoLayerVectorBothWays(boolean inMemory) throws Exception {
        Path vector = TestPki.interopDir().resolve("kvconnect-krypt-ios");
        List<java.security.cert.X509Certificate> cas = new ArrayList<>();
        for (String f : List.of("kvroot-ca-pem", "kvvivy-ca-pem", "kvconnect-user-ca-pem")) {
            cas.addAll(TestPki.readCertificates(vector.resolve(f)));
        }
        SmimeReader.Builder reader = SmimeReader.builder().privateKey(TestPki.readPrivateKey(vector.resolve("kvprivatekey-open-pem")))
                .trustAnchors(cas).validationTime(Instant.parse("2018-09-28T12:00:00Z")).inMemoryBytes(inMemory ? 1 << 20 : 0);
        Outcome outcome = read(vector.resolve("kvconnect-mail"), reader, dir.resolve("vector-" + inMemory));
        assertEquals(VerificationStatus.VALID, outcome.verification().status(), outcome.verification().detail());
        assertNotNull(outcome.entity());
        assertTrue(new String(outcome.entity(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("eAB-PDF-unsigned"));
        assertEquals(inMemory, outcome.created().equals(List.of("entity-")), outcome.created().toString());
    }

    /**
     * A small message is read without any file: the entity is served from memory by openEntityStream and
     * businessEntity; entityFile() still works, writing an owner-only file on demand that close() deletes.
     */
    @org.junit.jupiter.api.Test
    void smallMessageNeedsNoFileUntilEntityFileIsAsked() throws Exception {
        Path transport = dir.resolve("transport.eml");
        try (OutputStream out = Files.newOutputStream(transport)) {
            SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors())
                    .build().write(businessEntity("Befund klein"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        }
        SmimeReader.Builder builder = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate()));
        Path work = Files.createDirectories(dir.resolve("lazy"));
        byte[] viaFiles;
        try (DecryptedMessage m = builder.inMemoryBytes(0).workDirectory(dir).build().read(transport)) {
            org.junit.jupiter.api.Assertions.assertFalse(m.isInMemory());
            viaFiles = Files.readAllBytes(m.entityFile());
        }
        DecryptedMessage m = builder.inMemoryBytes(SmimeReader.DEFAULT_IN_MEMORY_BYTES).workDirectory(work).build().read(transport);
        List<Object> held;
        try {
            assertTrue(m.isInMemory());
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals(List.of(), list(work), "no file while the entity is only read from memory");
            try (java.io.InputStream in = m.openEntityStream()) {
                assertArrayEquals(viaFiles, in.readAllBytes());
            }
            jakarta.mail.internet.MimeMessage entity = m.businessEntity();
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) entity.getContent();
            assertEquals("Befund klein", mp.getBodyPart(0).getContent());
            java.io.ByteArrayOutputStream rewritten = new java.io.ByteArrayOutputStream();
            entity.writeTo(rewritten);
            assertArrayEquals(viaFiles, rewritten.toByteArray(), "the parsed entity writes back byte for byte");
            assertEquals(List.of(), list(work), "still no file");

            java.io.InputStream heldStream = m.openEntityStream();
            jakarta.mail.Part heldPart = mp.getBodyPart(0);
            held = List.of(heldStream, heldPart);

            Path file = m.entityFile();
            assertEquals(file, m.entityFile(), "one file, created once");
            assertEquals(List.of(file.getFileName().toString()), list(work));
            assertArrayEquals(viaFiles, Files.readAllBytes(file));
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                        Files.getPosixFilePermissions(file));
            }
        } finally {
            m.close();
        }
        assertEquals(List.of(), list(work), "close deletes the file made on demand");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, m::entityFile);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, m::openEntityStream);
        // as with the deleted file: what the caller still holds no longer reads decrypted content
        java.io.InputStream heldStream = (java.io.InputStream) held.get(0);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, heldStream::read);
        jakarta.mail.Part heldPart = (jakarta.mail.Part) held.get(1);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> heldPart.getInputStream().read());
    }

    private static List<String> list(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
