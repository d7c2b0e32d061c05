package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Multipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a {@link DecryptedMessage} closes the file behind its parsed business entity, including the handles Jakarta
 * Mail keeps for the body parts: afterwards no descriptor of this process ({@code /proc/self/fd}) points at the
 * (deleted) decrypted content.
 */
class DecryptedMessageCloseTest {

    private static final Path OWN_FDS = Path.of("/proc/self/fd");
    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path work;

    @Test
    void closeReleasesEveryHandleOnTheDecryptedEntity() throws Exception {
        assumeTrue(Files.isDirectory(OWN_FDS), "needs Linux /proc/self/fd");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors())
                .build().write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
        // streams a caller still holds (not closed, still reachable) must not keep the file open either
        List<InputStream> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (DecryptedMessage m = reader.read(new ByteArrayInputStream(out.toByteArray()))) {
                Multipart mp = (Multipart) m.businessEntity().getContent();
                assertEquals("Befund", mp.getBodyPart(0).getContent());
                InputStream part = mp.getBodyPart(1).getInputStream();
                part.read();
                held.add(part);
            }
        }
        assertEquals(List.of(), openHandlesUnder(work));
        Reference.reachabilityFence(held);
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        }
    }

    private static List<String> openHandlesUnder(Path directory) throws IOException {
        String prefix = directory.toRealPath().toString();
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(OWN_FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // closed between listing and reading
                }
            }
        }
        return open;
    }
}
