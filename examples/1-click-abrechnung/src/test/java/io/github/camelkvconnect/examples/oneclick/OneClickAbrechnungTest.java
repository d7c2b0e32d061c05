package io.github.camelkvconnect.examples.oneclick;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.emulator.MailboxEntry;
import io.github.camelkvconnect.examples.oneclick.demo.EmbeddedKvConnect;
import io.github.camelkvconnect.examples.oneclick.simulator.KvAnswers;
import io.github.camelkvconnect.examples.oneclick.simulator.KvSimulatorRoutes;
import io.github.camelkvconnect.examples.oneclick.simulator.ReceivedLieferung;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The practice routes and the KV simulator against the embedded KV-Connect emulator (real HTTPS, real S/MIME): a
 * billing file dropped into the outbox is sent as a 1-Click Lieferung, the simulated KV receives and checks it and
 * answers, and the practice matches both answers to the Lieferung. Answers that match nothing are reported; a bad
 * options file stops the Lieferung before anything is sent.
 */
class OneClickAbrechnungTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String BSNR = "721234500";

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static EmbeddedKvConnect kvc;

    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<ReceivedLieferung> kvInbox = new LinkedBlockingQueue<>();
    private CamelContext camel;
    private String practice;
    private String kv;
    private PracticeSettings settings;

    @BeforeAll
    static void startEmulator() throws Exception {
        kvc = EmbeddedKvConnect.start(shared.resolve("kvc"));
    }

    @AfterAll
    static void stopEmulator() {
        kvc.close();
    }

    @BeforeEach
    void accountsAndPracticeRoutes() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        practice = "praxis." + suffix;
        kv = "abrechnung." + suffix;
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("praxis", kvc.createAccount(practice));
        camel.getRegistry().bind("kv", kvc.createAccount(kv));
        settings = PracticeSettings.of(dir.resolve("praxis"), BSNR, EmbeddedKvConnect.address(kv)).withTimings(200, 200);
        camel.addRoutes(new PracticeRoutes(settings, uri(practice, "praxis")));
        camel.start();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void lieferungIsSentAsSpecifiedAndBothAnswersAreMatchedByMessageIdAndGuid() throws Exception {
        byte[] billing = new byte[50_000];
        new Random(7).nextBytes(billing);
        String name = "Z01" + BSNR + "_29.11.2026_10.25.con.xkm";
        Files.createDirectories(settings.outbox());
        Files.writeString(settings.outbox().resolve(name + ".properties"), "quartal=2026-3\ntestdaten=false\nvollstaendig=true\n");
        drop(name, billing);

        // On the server, before the KV reads it: routing headers in clear, and no request for an MDN.
        MailboxEntry onServer = Await.until("the Lieferung is in the KV's mailbox", TIMEOUT,
                () -> kvc.emulator().admin().listMailbox(kv).stream().findFirst().orElse(null));
        assertEquals(OneClick.SUBJECT_LIEFERUNG, onServer.headers().get("subject"));
        assertEquals(OneClick.DIENSTKENNUNG_LIEFERUNG, onServer.headers().get("x-kvc-dienstkennung"));
        String dnt = onServer.headers().get("disposition-notification-to");
        assertTrue(dnt == null || dnt.isBlank(), "Disposition-Notification-To must not be set, was " + dnt);
        String rawHeaders = clearHeaders(kvc.emulator().admin().readMessage(kv, onServer.messageId()).orElseThrow());
        assertFalse(rawHeaders.toLowerCase().contains("disposition-notification-to"), rawHeaders);
        assertFalse(rawHeaders.toLowerCase().matches("(?s).*(^|\\n)cc:.*"), rawHeaders);

        LieferungStatus sent = Await.until("the Lieferung is recorded as sent", TIMEOUT, () -> onlyStatus(s -> s.delivered()));
        assertEquals(onServer.messageId(), sent.messageId());
        assertEquals(name, sent.file());
        assertEquals(billing.length, sent.fileSize());
        assertEquals(sha256(billing), sent.fileSha256());
        assertFalse(sent.confirmed());
        assertFalse(sent.feedback());

        // The KV side starts now and receives the Lieferung.
        camel.addRoutes(new KvSimulatorRoutes(uri(kv, "kv"), 200, kvInbox::add));
        ReceivedLieferung received = kvInbox.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "the KV simulator received nothing");
        assertTrue(received.accepted(), received.problems().toString());
        assertEquals(EmbeddedKvConnect.address(practice), received.from());
        assertEquals(OneClick.SUBJECT_LIEFERUNG, received.subject());
        assertEquals(OneClick.DIENSTKENNUNG_LIEFERUNG, received.dienstkennung());
        assertNull(received.dispositionNotificationTo());
        assertEquals("VALID", received.signatureStatus());

        // Exactly the two attachments, named alike in Content-Type and Content-Disposition, base64.
        List<ReceivedLieferung.Part> parts = received.parts();
        assertEquals(List.of(OneClick.BEGLEITDATEI, name), parts.stream().map(ReceivedLieferung.Part::fileName).toList());
        assertTrue(parts.get(0).contentType().startsWith("application/xml"), parts.get(0).contentType());
        assertTrue(parts.get(0).contentType().contains("name=begleitdatei.xml")
                   || parts.get(0).contentType().contains("name=\"begleitdatei.xml\""), parts.get(0).contentType());
        assertTrue(parts.get(1).contentType().startsWith("application/octet-stream"), parts.get(1).contentType());
        assertTrue(parts.get(1).contentType().contains(name), parts.get(1).contentType());
        for (ReceivedLieferung.Part part : parts) {
            assertEquals("attachment", part.disposition());
            assertEquals("base64", part.transferEncoding());
        }
        assertEquals(sha256(billing), parts.get(1).sha256(), "the billing file arrives byte for byte");

        // The Begleitdatei: what the practice archived is what the KV got, with the user's choices and the GUID.
        Path folder = settings.lieferungen().resolve(sent.guid());
        assertArrayEquals(Files.readAllBytes(folder.resolve(OneClick.BEGLEITDATEI)), received.begleitdateiBytes());
        Begleitdatei b = received.begleitdatei();
        assertEquals(sent.guid(), b.guid());
        assertEquals(1, b.version());
        assertEquals(BSNR, b.bsnr());
        assertFalse(b.testdaten());
        assertEquals("ABRECHNUNG", b.dokumentenTyp());
        assertEquals("2026-3", b.quartal());
        assertTrue(b.vollstaendig());
        assertEquals(List.of(name), b.anhaenge());
        String xml = new String(received.begleitdateiBytes(), StandardCharsets.UTF_8);
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), xml);
        assertTrue(xml.contains("xmlns=\"" + Begleitdatei.NAMESPACE + "\""), xml);
        assertTrue(xml.contains("schemaLocation=\"" + Begleitdatei.NAMESPACE + " " + Begleitdatei.SCHEMA + "\""), xml);
        assertTrue(xml.contains("<quartal V=\"2026-3\"/>"), xml);

        // Both answers come back and are matched: the Eingangsbestaetigung by Message-ID, the Rueckmeldung by GUID.
        LieferungStatus done = Await.until("both answers are recorded", TIMEOUT,
                () -> onlyStatus(s -> s.confirmed() && s.feedback()));
        assertEquals("In-Reply-To", done.eingangsbestaetigung().matchedBy());
        assertEquals(EmbeddedKvConnect.address(kv), done.eingangsbestaetigung().from());
        assertEquals("automatic-action/MDN-sent-automatically;displayed", done.eingangsbestaetigung().disposition());
        assertEquals("VALID", done.eingangsbestaetigung().signatureStatus());
        assertEquals(1, done.rueckmeldungen().size());
        LieferungStatus.Rueckmeldung answer = done.rueckmeldungen().get(0);
        assertEquals(EmbeddedKvConnect.address(kv), answer.from());
        assertEquals(1, answer.version());
        assertEquals("VALID", answer.signatureStatus());
        Path answerFolder = folder.resolve(answer.folder());
        assertTrue(answer.files().containsAll(List.of("text.txt", OneClick.BEGLEITDATEI, KvAnswers.PROTOKOLL)), answer.files().toString());
        assertArrayEquals(received.begleitdateiBytes(), Files.readAllBytes(answerFolder.resolve(OneClick.BEGLEITDATEI)));
        byte[] pdf = Files.readAllBytes(answerFolder.resolve(KvAnswers.PROTOKOLL));
        assertTrue(new String(pdf, StandardCharsets.US_ASCII).startsWith("%PDF-1.4"));
        assertTrue(new String(pdf, StandardCharsets.US_ASCII).contains("ANGENOMMEN"));
        assertTrue(Files.readString(answerFolder.resolve("text.txt")).contains(sent.guid()));

        // The status file as a person or another program reads it.
        JsonNode status = json.readTree(folder.resolve("status.json").toFile());
        assertEquals(sent.guid(), status.get("guid").asText());
        assertEquals(onServer.messageId(), status.get("messageId").asText());
        assertTrue(status.get("delivered").asBoolean());
        assertTrue(status.get("confirmed").asBoolean());
        assertTrue(status.get("feedback").asBoolean());
        assertEquals("2026-3", status.get("quartal").asText());

        // The billing file and its options file moved into the Lieferung's folder; nothing is left behind.
        assertArrayEquals(billing, Files.readAllBytes(folder.resolve(name)));
        assertTrue(Files.readString(folder.resolve("lieferung.properties")).contains("quartal=2026-3"));
        assertEquals(List.of(), visible(settings.outbox()));
        Await.until("the answers are removed from the practice's mailbox", TIMEOUT,
                () -> kvc.emulator().admin().listMailbox(practice).isEmpty());
        assertFalse(Files.exists(settings.unmatched()));
    }

    @Test
    void answersThatMatchNoLieferungAreKeptAndReportedNotDropped() throws Exception {
        String unknownGuid = UUID.randomUUID().toString();
        Begleitdatei foreign = Begleitdatei.neu(BSNR, true, "ABRECHNUNG", "2026-3", true, List.of("other.con.xkm"));
        foreign = new Begleitdatei(1, unknownGuid, foreign.bsnr(), true, foreign.lieferungsZeitpunkt(), "ABRECHNUNG",
                "2026-3", true, foreign.anhaenge());
        byte[] foreignBytes = foreign.toBytes();
        String rueckmeldungId = sendAsKv(e -> KvAnswers.rueckmeldung(e.getMessage(), EmbeddedKvConnect.address(practice),
                foreignBytes, "Ergebnis: ANGENOMMEN", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
        String unknownMessageId = "<" + UUID.randomUUID() + "@kv-safenet.de>";
        String receiptId = sendAsKv(e -> KvAnswers.eingangsbestaetigung(e.getMessage(), EmbeddedKvConnect.address(practice),
                unknownMessageId));

        JsonNode rueckmeldung = Await.until("the Rueckmeldung is reported", TIMEOUT, () -> report(rueckmeldungId));
        assertEquals("Rueckmeldung", rueckmeldung.get("kind").asText());
        assertTrue(rueckmeldung.get("reason").asText().contains(unknownGuid), rueckmeldung.toString());
        assertEquals(unknownGuid, rueckmeldung.get("guid").asText());
        assertEquals(EmbeddedKvConnect.address(kv), rueckmeldung.get("from").asText());
        assertEquals(rueckmeldungId, rueckmeldung.get("messageId").asText());
        assertFalse(rueckmeldung.get("date").asText().isBlank());
        Path kept = settings.unmatched().resolve(MessageIds.folderName(rueckmeldungId));
        assertArrayEquals(foreignBytes, Files.readAllBytes(kept.resolve(OneClick.BEGLEITDATEI)), "the answer is kept");
        assertTrue(Files.exists(kept.resolve(KvAnswers.PROTOKOLL)));

        JsonNode receipt = Await.until("the Eingangsbestaetigung is reported", TIMEOUT, () -> report(receiptId));
        assertEquals("Eingangsbestaetigung", receipt.get("kind").asText());
        assertTrue(receipt.get("reason").asText().contains(unknownMessageId), receipt.toString());
        assertEquals(unknownMessageId, receipt.get("inReplyTo").asText());

        // Nothing was attached to any Lieferung, and the answers do not come back on every poll.
        assertTrue(new CorrelationStore(settings.lieferungen()).all().isEmpty());
        Await.until("the reported answers left the server", TIMEOUT,
                () -> kvc.emulator().admin().listMailbox(practice).isEmpty());
    }

    @Test
    void aBadOptionsFileMovesTheBillingToFailedWithTheReasonAndNothingIsSent() throws Exception {
        String name = "Z01" + BSNR + "_29.11.2026_11.00.con.xkm";
        Files.createDirectories(settings.outbox());
        Files.writeString(settings.outbox().resolve(name + ".properties"), "quartal=2026-5\n");
        drop(name, "XKM".getBytes(StandardCharsets.US_ASCII));

        Path failed = Await.until("the file is in failed/", TIMEOUT, () -> visible(settings.failed()).stream()
                .filter(f -> Files.exists(f.resolve(name))).findFirst().orElse(null));
        String error = Files.readString(failed.resolve("error.txt"));
        assertTrue(error.contains("quartal=2026-5") && error.contains("JJJJ-Q"), error);
        assertTrue(error.contains("LieferungException"), error);
        assertTrue(Files.exists(failed.resolve(name + ".properties")), "the options file moves along");
        assertEquals(List.of(), visible(settings.outbox()));
        assertTrue(kvc.emulator().admin().listMailbox(kv).isEmpty(), "nothing was sent");
        assertTrue(new CorrelationStore(settings.lieferungen()).all().isEmpty());
    }

    // ---- helpers

    private static String uri(String username, String bean) {
        return "kvconnect:" + EmbeddedKvConnect.address(username) + "?configuration=#" + bean;
    }

    /** Writes the file under a hidden name and renames it, as practice software should. */
    private void drop(String name, byte[] content) throws IOException {
        Files.createDirectories(settings.outbox());
        Path tmp = Files.write(settings.outbox().resolve("." + name + ".tmp"), content);
        Files.move(tmp, settings.outbox().resolve(name));
    }

    private String sendAsKv(org.apache.camel.Processor answer) throws Exception {
        Exchange sent = camel.createProducerTemplate().send(uri(kv, "kv"), answer);
        if (sent.getException() != null) {
            throw sent.getException();
        }
        return sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
    }

    private JsonNode report(String messageId) {
        Path file = settings.unmatched().resolve(MessageIds.folderName(messageId)).resolve(UnmatchedAnswers.REPORT_FILE);
        try {
            return Files.exists(file) ? json.readTree(file.toFile()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LieferungStatus onlyStatus(java.util.function.Predicate<LieferungStatus> condition) {
        try {
            List<LieferungStatus> all = new CorrelationStore(settings.lieferungen()).all();
            assertTrue(all.size() <= 1, all::toString);
            return all.size() == 1 && condition.test(all.get(0)) ? all.get(0) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> visible(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clear header block of a raw transport message (up to the first empty line). */
    private static String clearHeaders(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, 16 * 1024), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
