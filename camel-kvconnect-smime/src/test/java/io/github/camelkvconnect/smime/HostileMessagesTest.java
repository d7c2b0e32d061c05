package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile messages of the issue and the catalogue (P02 huge ASN.1 lengths, P08 10,000 certificates), generated at test
 * time, encrypted for the test recipient (and signed where the attack is in the signature) so that they reach the
 * parsing behind the decryption, and read one after the other in ONE forked JVM with a 64 MiB heap
 * ({@link HostileMessagesMain}). Each must end in its typed outcome, never an {@code OutOfMemoryError} or another
 * exception, and a good message read last must still be read (it is also read first, to warm the JVM up). The child's
 * time per message is printed, not asserted.
 */
class HostileMessagesTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path dir;

    @Test
    void eachHostileMessageEndsInItsTypedOutcomeWithA64MiBHeap() throws Exception {
        HostileMessages hostile = new HostileMessages(ALICE, BOB);
        // file name -> what the child must print for it
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("parts-10000.eml", "LIMIT_EXCEEDED: More than 1000 MIME parts (limit maxPartCount)");
        hostile.encrypted(dir.resolve("parts-10000.eml"), HostileMessages.parts(10_000));
        expected.put("parts-1000000.eml", "LIMIT_EXCEEDED: More than 1000 MIME parts (limit maxPartCount)");
        hostile.encrypted(dir.resolve("parts-1000000.eml"), HostileMessages.parts(1_000_000));
        expected.put("nesting-10000.eml", "LIMIT_EXCEEDED: MIME nesting deeper than 8 (limit maxNestingDepth)");
        hostile.encrypted(dir.resolve("nesting-10000.eml"), HostileMessages.nested(10_000));
        expected.put("header-100MiB.eml", "LIMIT_EXCEEDED: A header block is larger than 262144 bytes (limit maxHeaderBytes)");
        hostile.encrypted(dir.resolve("header-100MiB.eml"), HostileMessages.hugeHeader(100L << 20));
        expected.put("asn1-depth-10000-signature.eml",
                "LIMIT_EXCEEDED: The CMS structure is nested deeper than 32 levels (limit maxAsn1Depth)");
        hostile.encrypted(dir.resolve("asn1-depth-10000-signature.eml"),
                HostileMessages.multipartSigned(HostileMessages.deepAsn1(10_000)));
        expected.put("asn1-depth-10000-opaque.eml",
                "LIMIT_EXCEEDED: The CMS structure is nested deeper than 32 levels (limit maxAsn1Depth)");
        hostile.encrypted(dir.resolve("asn1-depth-10000-opaque.eml"),
                HostileMessages.opaqueSigned(hostile.deepInSignedData(true, 10_000)));
        // P02: lengths of 2^31 and 2^63 in the envelope, in an opaque SignedData and in a detached signature
        expected.put("p02-envelope-2pow31.eml", "CORRUPT_DATA: The message's CMS structure is damaged: an ASN.1 "
                                                + "element of the CMS structure claims more bytes than there are");
        HostileMessages.transport(dir.resolve("p02-envelope-2pow31.eml"), hostile.envelopeWithHugeLength(4, 1L << 31));
        expected.put("p02-envelope-2pow63.eml", "CORRUPT_DATA: The message's CMS structure is damaged");
        HostileMessages.transport(dir.resolve("p02-envelope-2pow63.eml"), hostile.envelopeWithHugeLength(8, Long.MIN_VALUE));
        expected.put("p02-opaque-2pow63.eml", "CORRUPT_DATA: The message's CMS structure is damaged");
        byte[] opaque63 = hostile.hugeLength(true, 8, Long.MIN_VALUE);
        hostile.encrypted(dir.resolve("p02-opaque-2pow63.eml"), HostileMessages.opaqueSigned(out -> out.write(opaque63)));
        // a detached signature that is not well-formed is reported, not thrown: the entity is delivered, flagged
        expected.put("p02-signature-2pow31.eml", "VERIFIED BAD_SIGNATURE");
        byte[] detached31 = hostile.hugeLength(false, 4, 1L << 31);
        hostile.encrypted(dir.resolve("p02-signature-2pow31.eml"),
                HostileMessages.multipartSigned(out -> out.write(detached31)));
        expected.put("p02-unterminated-opaque.eml",
                "LIMIT_EXCEEDED: An ASN.1 element of the CMS structure is larger than 4194304 bytes (limit maxAsn1ElementBytes)");
        hostile.encrypted(dir.resolve("p02-unterminated-opaque.eml"), HostileMessages.opaqueSigned(hostile.unterminated(8L << 20)));
        // P08: 10,000 certificates in a SignedData, detached and opaque
        expected.put("p08-certificates-10000-signature.eml",
                "LIMIT_EXCEEDED: The SignedData holds more than 100 certificates (limit maxCertificates)");
        hostile.encrypted(dir.resolve("p08-certificates-10000-signature.eml"),
                HostileMessages.multipartSigned(hostile.manyCertificates(false, 10_000)));
        expected.put("p08-certificates-10000-opaque.eml",
                "LIMIT_EXCEEDED: The SignedData holds more than 100 certificates (limit maxCertificates)");
        hostile.encrypted(dir.resolve("p08-certificates-10000-opaque.eml"),
                HostileMessages.opaqueSigned(hostile.manyCertificates(true, 10_000)));
        // and after all of them a good message, signed and encrypted by the module itself
        expected.put("good.eml", "VERIFIED VALID");
        writeGoodMessage(dir.resolve("good.eml"));

        writeKeys();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), HostileMessagesMain.class.getName(), dir.toString()));
        // the good message first too, so that the times printed for the others are not those of a cold JVM
        command.add(dir.resolve("good.eml").toString());
        expected.keySet().forEach(name -> command.add(dir.resolve(name).toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the forked JVM did not finish");
        System.out.println("Forked reader (-Xmx64m), time per message:\n" + output.lines()
                .filter(l -> l.startsWith("TIME ") || l.startsWith("DONE")).reduce("", (a, b) -> a + "  " + b + "\n"));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("DONE max heap"), output);
        assertFalse(output.contains("LEFTOVER"), output);
        assertFalse(output.contains("UNEXPECTED"), output);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String line = output.lines().filter(l -> l.startsWith("RESULT " + e.getKey() + " ")).findFirst().orElse("");
            assertTrue(line.startsWith("RESULT " + e.getKey() + " " + e.getValue()),
                    e.getKey() + ": expected " + e.getValue() + "\n" + output);
        }
    }

    private void writeGoodMessage(Path file) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(TestMessages.businessEntity("Befund"), TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                out);
        Files.write(file, out.toByteArray());
    }

    /** Bob's key and certificate and the anchors for the child (it has its own, freshly generated, TestPki). */
    private void writeKeys() throws Exception {
        Files.write(dir.resolve("bob.p8"), BOB.privateKey().getEncoded());
        Files.write(dir.resolve("bob.crt"), BOB.certificate().getEncoded());
        for (int i = 0; i < PKI.anchors().size(); i++) {
            Files.write(dir.resolve("anchor-" + i + ".crt"), PKI.anchors().get(i).getEncoded());
        }
    }
}
