package io.github.camelkvconnect.examples.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the demo as its users do, in {@code --once} mode (in this JVM, through the same entry point as {@code main}),
 * against the embedded emulator in a fresh data directory.
 */
class KvConnectDemoTest {

    private static final String MUELLER = "praxis.mueller@kv-safenet.de";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void onceRequestsCertificatesSendsReceivesStoresConfirmsAndASecondStartReusesEverything() throws Exception {
        Path data = dir.resolve("data");

        // First start: no keystores, so both practices go through the CSR flow; then one sample round trip.
        Output first = run("--once", "--data-dir", data.toString());
        assertEquals(0, first.exitCode, first.text);
        assertTrue(first.text.contains("[praxis.mueller] first start: no keystore yet"), first.text);
        assertTrue(first.text.contains("[praxis.schmidt] first start: no keystore yet"), first.text);
        assertTrue(first.text.contains("--once: OK"), first.text);

        Path mueller = data.resolve("praxis.mueller");
        Path schmidt = data.resolve("praxis.schmidt");
        assertTrue(Files.isRegularFile(mueller.resolve("keystore.p12")));
        assertTrue(Files.isRegularFile(schmidt.resolve("keystore.p12")));

        // The sample left the outbox for sent/ ...
        List<Path> sent = list(mueller.resolve("sent"));
        assertEquals(1, sent.size(), sent::toString);
        assertEquals(0, list(mueller.resolve("outbox")).size());
        byte[] original = Files.readAllBytes(sent.get(0));
        assertTrue(new String(original, StandardCharsets.US_ASCII).startsWith("%PDF-1.4"));

        // ... and arrived in the other practice's inbox, byte for byte, with body and metadata.
        List<Path> inbox = list(schmidt.resolve("inbox"));
        assertEquals(1, inbox.size(), inbox::toString);
        Path folder = inbox.get(0);
        JsonNode metadata = json.readTree(folder.resolve("metadata.json").toFile());
        assertEquals(MUELLER, metadata.get("sender").asText());
        assertEquals("praxis.schmidt@kv-safenet.de", metadata.get("receivedBy").asText());
        assertEquals("Arztbrief;VHitG-Versand;V1.0", metadata.get("dienstkennung").asText());
        assertEquals("Arztbrief", metadata.get("subject").asText());
        assertEquals("VALID", metadata.at("/signature/status").asText());
        assertTrue(metadata.at("/signature/valid").asBoolean());
        assertEquals(MUELLER, metadata.at("/signature/signer").asText());
        assertEquals(MUELLER, metadata.get("receiptRequestedBy").asText());
        String messageId = metadata.get("messageId").asText();
        assertEquals(messageId.substring(1, messageId.length() - 1), folder.getFileName().toString());

        JsonNode attachments = metadata.get("attachments");
        assertEquals(1, attachments.size(), attachments::toString);
        JsonNode pdf = attachments.get(0);
        assertEquals("eAB-PDF-unsigned", pdf.get("description").asText());
        assertEquals("application/pdf", pdf.get("contentType").asText());
        assertEquals(original.length, pdf.get("size").asLong());
        assertEquals(sha256(original), pdf.get("sha256").asText());
        assertArrayEquals(original, Files.readAllBytes(folder.resolve(pdf.get("file").asText())));
        assertTrue(Files.readString(folder.resolve("body.txt")).contains("eArztbrief"));

        // The Eingangsbestaetigung (MDN) came back to the sender and names the message it confirms.
        JsonNode receipt = json.readTree(mueller.resolve("receipts").resolve(folder.getFileName() + ".json").toFile());
        assertEquals(messageId, receipt.get("originalMessageId").asText());
        assertEquals(sent.get(0).getFileName().toString().replaceFirst("-\\d{8}-\\d{6}-\\d{3}\\.pdf$", ".pdf"),
                receipt.get("originalFile").asText());
        assertEquals("praxis.schmidt@kv-safenet.de", receipt.get("from").asText());
        assertEquals("Arztbrief;Eingangsbestaetigung;V1.0", receipt.get("dienstkennung").asText());
        assertTrue(receipt.get("disposition").asText().endsWith("displayed"), receipt::toString);
        assertEquals("VALID", receipt.get("signatureStatus").asText());

        // Second start on the same data: the emulator keeps its accounts and CA, the practices reuse their keys.
        byte[] muellerKeystore = Files.readAllBytes(mueller.resolve("keystore.p12"));
        byte[] schmidtKeystore = Files.readAllBytes(schmidt.resolve("keystore.p12"));
        Output second = run("--once", "--data-dir", data.toString());
        assertEquals(0, second.exitCode, second.text);
        assertFalse(second.text.contains("first start"), second.text);
        assertTrue(second.text.contains("[praxis.mueller] using the certificate in"), second.text);
        assertArrayEquals(muellerKeystore, Files.readAllBytes(mueller.resolve("keystore.p12")));
        assertArrayEquals(schmidtKeystore, Files.readAllBytes(schmidt.resolve("keystore.p12")));
        assertEquals(2, list(schmidt.resolve("inbox")).size());
        assertEquals(2, list(mueller.resolve("receipts")).size());
    }

    @Test
    void unreachableServerEndsOnceWithExitCodeOneAndSaysWhy() throws Exception {
        Path anchors = Files.writeString(dir.resolve("anchors.pem"), selfSignedCertificatePem());
        Output out = run("--once", "--data-dir", dir.resolve("data").toString(), "--config",
                realServerConfig("https://localhost:1/kvconnect/rest/", anchors).toString());
        assertEquals(1, out.exitCode, out.text);
        assertTrue(out.text.contains("ERROR: Cannot get a certificate for " + MUELLER), out.text);
        assertFalse(out.text.contains("--once: OK"), out.text);
    }

    @Test
    void trustAnchorsWithoutCertificatesStopTheStartWithExitCodeOneAndNameTheFile() throws Exception {
        Path anchors = Files.writeString(dir.resolve("empty.pem"), "");
        Output out = run("--once", "--data-dir", dir.resolve("data").toString(), "--config",
                realServerConfig("https://localhost:1/kvconnect/rest/", anchors).toString());
        assertEquals(1, out.exitCode, out.text);
        assertTrue(out.text.contains("ERROR: ") && out.text.contains(anchors.toString()), out.text);
    }

    private Path realServerConfig(String url, Path anchors) throws IOException {
        return Files.writeString(dir.resolve("real-server.properties"), String.join("\n",
                "kvconnect.server-url=" + url,
                "kvconnect.smime-trust-anchors=" + anchors,
                "kvconnect.tls-trust-anchors=" + anchors,
                "demo.once-timeout-seconds=5"));
    }

    private static String selfSignedCertificatePem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=Unrelated test CA");
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(holder);
        }
        return pem.toString();
    }

    @Test
    void wrongCommandLineGivesUsageAndExitCodeTwo() {
        Output out = run("--once", "--data-dir");
        assertEquals(KvConnectDemo.USAGE_ERROR, out.exitCode);
        assertTrue(out.text.contains("--data-dir needs a value"), out.text);
        assertTrue(out.text.contains("Usage:"), out.text);
    }

    private record Output(int exitCode, String text) {
    }

    /** Runs the demo with its console going to a buffer and, for the build log, to standard output. */
    private static Output run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                buffer.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buffer.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        int exitCode = KvConnectDemo.run(new Console(both), args);
        both.flush();
        return new Output(exitCode, buffer.toString(StandardCharsets.UTF_8));
    }

    /** Visible entries (no hidden temporary files), sorted. */
    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
