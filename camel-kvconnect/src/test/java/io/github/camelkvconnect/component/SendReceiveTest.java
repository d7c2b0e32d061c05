package io.github.camelkvconnect.component;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Random;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.mime.InboundMapper;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.ReadContent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sending between two accounts and receiving with attachments intact, over the emulator. */
class SendReceiveTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void textAndAttachmentsArriveDecryptedVerifiedAndAreDeletedAfterwards() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        byte[] pdf = new byte[300_000];
        new Random(7).nextBytes(pdf);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><arztbrief>Gr\u00fc\u00dfe</arztbrief>";

        Exchange sent = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("Sehr geehrte Kollegin,\nanbei der Befund. \u00c4\u00d6\u00dc");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.CC, carol.address());
            e.getMessage().setHeader(KvConnectConstants.SUBJECT, "Arztbrief f\u00fcr Frau M\u00fcller");
            e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, "Arztbrief;VHitG-Versand;V1.0");
            AttachmentMessage am = e.getMessage(AttachmentMessage.class);
            am.addAttachment("befund.pdf", new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
            am.addAttachment("arztbrief.xml", new DataHandler(new ByteArrayDataSource(xml.getBytes(StandardCharsets.UTF_8),
                    "application/xml")));
        });
        assertTrue(sent.getException() == null, () -> String.valueOf(sent.getException()));
        String messageId = sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        assertNotNull(messageId);
        assertEquals(1, mailbox(bob).size());
        assertEquals(1, mailbox(carol).size(), "Cc recipients get the message too");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "")).routeId("bob").process(ReadContent.intoProperties()).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);

        Exchange in = inbox.getReceivedExchanges().get(0);
        Map<String, Object> h = in.getMessage().getHeaders();
        assertEquals(messageId, h.get(KvConnectConstants.MESSAGE_ID));
        assertEquals(alice.address(), h.get(KvConnectConstants.FROM));
        assertTrue(((String) h.get(KvConnectConstants.TO)).contains(bob.address()));
        assertTrue(((String) h.get(KvConnectConstants.CC)).contains(carol.address()));
        assertEquals("Arztbrief f\u00fcr Frau M\u00fcller", h.get(KvConnectConstants.SUBJECT));
        assertEquals("Arztbrief;VHitG-Versand;V1.0", h.get(KvConnectConstants.DIENSTKENNUNG));
        assertEquals("camel-kvconnect;" + KvConnectVersion.VERSION, h.get(KvConnectConstants.SENDERSYSTEM));
        assertEquals("VALID", h.get(KvConnectConstants.SIGNATURE_STATUS));
        assertEquals(Boolean.TRUE, h.get(KvConnectConstants.SIGNATURE_VALID));
        assertEquals(alice.address(), h.get(KvConnectConstants.SIGNER_ADDRESS));
        assertEquals(alice.certificate(), in.getMessage().getHeader(KvConnectConstants.SIGNER_CERTIFICATE, X509Certificate.class));
        assertEquals("Sehr geehrte Kollegin,\nanbei der Befund. \u00c4\u00d6\u00dc",
                in.getMessage().getHeader(InboundMapper.TEXT_HEADER, String.class).replace("\r\n", "\n"));

        AttachmentMessage am = in.getMessage(AttachmentMessage.class);
        assertEquals(2, am.getAttachments().size(), () -> String.valueOf(am.getAttachmentNames()));
        assertArrayEquals(pdf, ReadContent.attachment(in, "befund.pdf"));
        assertEquals(xml, ReadContent.attachmentText(in, "arztbrief.xml"));
        assertTrue(ReadContent.body(in).contains("arztbrief.xml"), "the body is the business MIME entity");

        awaitMailboxSize(bob, 0);
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        assertEquals(1, endpoint.getReceivedCount());
        assertEquals(0, endpoint.getKeptOnServerCount());
    }

    @Test
    void rawMessageIsTheDownloadedFileReadableUntilTheExchangeCompletes() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("raw please");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        }).getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        byte[] onServer = kvc.admin().readMessage(bob.username(), id).orElseThrow();

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        Object[] header = new Object[1];
        byte[][] asBytes = new byte[2][];
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "includeRawMessage=true")).process(e -> {
                    header[0] = e.getMessage().getHeader(KvConnectConstants.RAW_MESSAGE);
                    // convertible as often as needed while the exchange is in flight
                    asBytes[0] = e.getMessage().getHeader(KvConnectConstants.RAW_MESSAGE, byte[].class);
                    try (InputStream in = e.getMessage().getHeader(KvConnectConstants.RAW_MESSAGE, InputStream.class)) {
                        asBytes[1] = in.readAllBytes();
                    }
                }).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        // a file reference, not the message's bytes in a header
        Path raw = assertInstanceOf(Path.class, header[0]);
        assertTrue(raw.startsWith(state(bob.username()).resolve("work")), raw.toString());
        assertArrayEquals(onServer, asBytes[0]);
        assertArrayEquals(onServer, asBytes[1]);
        awaitMailboxSize(bob, 0);
        Await.until("the raw file is deleted after the exchange", java.time.Duration.ofSeconds(20),
                () -> !java.nio.file.Files.exists(raw));
    }

    @Test
    void bodyTypesFileBytesAndStream() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path file = java.nio.file.Files.writeString(testDir.resolve("lab-result.ldt"), "8000 LDT content");
        template.sendBodyAndHeader(producerUri(alice), file.toFile(), KvConnectConstants.TO, bob.address());
        template.sendBodyAndHeaders(producerUri(alice), "raw bytes".getBytes(StandardCharsets.UTF_8),
                Map.of(KvConnectConstants.TO, bob.address(), Exchange.CONTENT_TYPE, "application/octet-stream"));
        template.sendBodyAndHeader(producerUri(alice), new java.io.ByteArrayInputStream("stream".getBytes(StandardCharsets.UTF_8)),
                KvConnectConstants.TO, bob.address());
        assertEquals(3, mailbox(bob).size());

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(3);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "")).process(ReadContent.intoProperties()).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        assertEquals("8000 LDT content", ReadContent.attachmentText(inbox.getReceivedExchanges().get(0), "lab-result.ldt"));
        awaitMailboxSize(bob, 0);
    }

    @Test
    void receiptNotificationIsSentSignedAndEncryptedWithInReplyTo() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Exchange sent = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("Lieferung");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, "1ClickAbrechnung;Lieferung;V2.0");
            e.getMessage().setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, alice.address());
        });
        String originalId = sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);

        MockEndpoint bobInbox = getMockEndpoint("mock:bob");
        bobInbox.expectedMessageCount(1);
        bobInbox.expectedHeaderReceived(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, alice.address());
        MockEndpoint aliceInbox = getMockEndpoint("mock:alice");
        aliceInbox.expectedMessageCount(1);
        aliceInbox.expectedHeaderReceived(KvConnectConstants.IN_REPLY_TO, originalId);
        aliceInbox.expectedHeaderReceived(KvConnectConstants.DIENSTKENNUNG, "1ClickAbrechnung;Eingangsbestaetigung;V2.0");
        aliceInbox.expectedHeaderReceived(KvConnectConstants.SIGNATURE_VALID, true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "sendMdn=true")).to("mock:bob");
                from(consumerUri(alice, "")).process(ReadContent.intoProperties()).to("mock:alice");
            }
        });
        MockEndpoint.assertIsSatisfied(20, java.util.concurrent.TimeUnit.SECONDS, bobInbox, aliceInbox);
        String report = ReadContent.body(aliceInbox.getReceivedExchanges().get(0));
        assertTrue(report.contains("Original-Message-ID: " + originalId), report);
        assertTrue(report.contains("disposition-notification"), report);
    }

    /**
     * A real peer's Message-ID without '@' (the KIM sample of the interop vectors, written by Apache Mime4j): the
     * Eingangsbestaetigung (receipt) for it is sent, and a route answering the message (In-Reply-To copied from the
     * received Message-ID) sends its answer. Both carry the id unchanged.
     */
    @Test
    void receiptAndAnswerForARealPeersMessageIdWithoutAtSign() throws Exception {
        String realId = interopMessageId(InteropVectorTest.VECTORS.resolveSibling("kim-gematik-smime-profile")
                .resolve("inputEmail.txt"));
        assertEquals("<Mime4j.0.81c65006d0c27d68.1641cd879c4>", realId, "the vector's Message-ID, without '@'");
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        inject(alice, alice.keystore(), bob, textEntity("Lieferung"), Map.of("Message-ID", realId,
                "Disposition-Notification-To", alice.address(), "X-KVC-Dienstkennung", "1ClickAbrechnung;Lieferung;V2.0"));

        MockEndpoint aliceInbox = getMockEndpoint("mock:alice");
        aliceInbox.expectedMessageCount(2);
        aliceInbox.expectedHeaderReceived(KvConnectConstants.IN_REPLY_TO, realId);
        aliceInbox.expectedHeaderReceived(KvConnectConstants.SIGNATURE_VALID, true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "sendMdn=true")).routeId("bob").process(e -> {
                    String id = e.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
                    String from = e.getMessage().getHeader(KvConnectConstants.FROM, String.class);
                    e.getMessage().removeHeaders("CamelKvConnect*");
                    e.getMessage().setHeader(KvConnectConstants.TO, from);
                    e.getMessage().setHeader(KvConnectConstants.IN_REPLY_TO, id);
                    e.getMessage().setBody("Antwort");
                }).to(producerUri(bob));
                from(consumerUri(alice, "")).routeId("alice").process(ReadContent.intoProperties()).to("mock:alice");
            }
        });
        aliceInbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
        Exchange receipt = aliceInbox.getReceivedExchanges().stream()
                .filter(e -> "1ClickAbrechnung;Eingangsbestaetigung;V2.0"
                        .equals(e.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG)))
                .findFirst().orElseThrow(() -> new AssertionError("no receipt among " + aliceInbox.getReceivedExchanges()));
        String report = ReadContent.body(receipt);
        assertTrue(report.contains("Original-Message-ID: " + realId), report);
        assertTrue(aliceInbox.getReceivedExchanges().stream().anyMatch(e -> String.valueOf(ReadContent.body(e)).contains("Antwort")),
                "the answer arrived");
    }

    /** The Message-ID header of a stored message (one line, as in the interop vectors). */
    private static String interopMessageId(Path message) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(message, StandardCharsets.ISO_8859_1)) {
            return lines.takeWhile(line -> !line.isEmpty()).filter(line -> line.regionMatches(true, 0, "Message-ID:", 0, 11))
                    .map(line -> line.substring(11).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no Message-ID in " + message));
        }
    }

    @Test
    void dienstkennungFilterLeavesOtherMessagesUntouched() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        template.sendBodyAndHeaders(producerUri(alice), "billing", Map.of(KvConnectConstants.TO, bob.address(),
                KvConnectConstants.DIENSTKENNUNG, "1ClickAbrechnung;Lieferung;V2.0"));
        template.sendBodyAndHeaders(producerUri(alice), "letter", Map.of(KvConnectConstants.TO, bob.address(),
                KvConnectConstants.DIENSTKENNUNG, "Arztbrief;VHitG-Versand;V1.0"));
        MockEndpoint billing = getMockEndpoint("mock:billing");
        billing.expectedBodiesReceived("billing");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "dienstkennungFilter=1ClickAbrechnung;*")).routeId("billing")
                        .setBody(header(InboundMapper.TEXT_HEADER)).to("mock:billing");
            }
        });
        billing.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 1);
        assertEquals("Arztbrief;VHitG-Versand;V1.0", mailbox(bob).get(0).headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("X-KVC-Dienstkennung")).findFirst().orElseThrow().getValue());
    }

    @Test
    void oldestFirstAndAtMostMaxMessagesPerPoll() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        for (String text : new String[] { "one", "two", "three" }) {
            template.sendBodyAndHeader(producerUri(alice), text, KvConnectConstants.TO, bob.address());
        }
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("one", "two", "three");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "maxMessagesPerPoll=1")).setBody(header(InboundMapper.TEXT_HEADER))
                        .setHeader("batchSize", exchangeProperty(Exchange.BATCH_SIZE)).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        for (Exchange e : inbox.getReceivedExchanges()) {
            assertEquals(1, e.getMessage().getHeader("batchSize", Integer.class));
        }
    }
}
