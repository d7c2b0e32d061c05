package io.github.camelkvconnect.component;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.ReadContent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * profile=KIM: the producer writes the KIM (gemSMIME_KOMLE) format with the RSA keys and certificates the emulator
 * issues (any RSA key does OAEP and PSS), and consumers read either profile whatever they are configured for.
 */
class KimProfileTest extends KvConnectTestSupport {

    private static final String DESCRIPTION = "test.description";

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void kimMessageUsesTheKimAlgorithmsAndArrivesIntactAtKimAndDefaultConsumers() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        byte[] pdf = new byte[50_000];
        new Random(11).nextBytes(pdf);
        Exchange sent = template.request(kvc.uri(alice, testDir.resolve("producer-kim"), "profile=KIM"), e -> {
            e.getMessage().setBody("Sehr geehrte Kollegin, anbei der Brief.");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.CC, carol.address());
            e.getMessage().setHeader(KvConnectConstants.SUBJECT, "Arztbrief f\u00fcr Frau M\u00fcller");
            e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, "Arztbrief;VHitG-Versand;V1.2");
            DefaultAttachment letter = new DefaultAttachment(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
            letter.setHeader("Content-Description", "eAB-PDF-unsigned");
            e.getMessage(AttachmentMessage.class).addAttachmentObject("arztbrief.pdf", letter);
        });
        assertNull(sent.getException());
        String messageId = sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);

        // on the server: the KIM wire format, not KV-Connect's EnvelopedData
        byte[] raw = kvc.admin().readMessage(bob.username(), messageId).orElseThrow();
        MimeMessage transport = new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(raw));
        assertTrue(transport.getContentType().contains("smime-type=authenticated-enveloped-data"), transport.getContentType());
        assertEquals("KOM-LE-Nachricht", transport.getSubject(), "the real subject travels inside, signed and encrypted");
        assertEquals("1.5", transport.getHeader("X-KOM-LE-Version", null));
        CMSAuthEnvelopedData envelope;
        try (InputStream der = transport.getInputStream()) {
            envelope = new CMSAuthEnvelopedData(der.readAllBytes());
        }
        assertEquals(CMSObjectIdentifiers.authEnvelopedData, envelope.toASN1Structure().getContentType());
        assertEquals(NISTObjectIdentifiers.id_aes256_GCM.getId(), envelope.getEncryptionAlgOID());
        assertEquals(3, envelope.getRecipientInfos().size(), "both recipients and the sender");
        for (RecipientInformation r : envelope.getRecipientInfos()) {
            assertEquals(PKCSObjectIdentifiers.id_RSAES_OAEP.getId(), r.getKeyEncryptionAlgOID());
        }

        // Bob reads with profile=KIM (the KIM policy applies to the AuthEnvelopedData), Carol with the default profile
        MockEndpoint bobInbox = getMockEndpoint("mock:bob");
        bobInbox.expectedMessageCount(1);
        MockEndpoint carolInbox = getMockEndpoint("mock:carol");
        carolInbox.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "profile=KIM")).process(ReadContent.intoProperties())
                        .process(KimProfileTest::recordDescription).to("mock:bob");
                from(consumerUri(carol, "")).process(ReadContent.intoProperties())
                        .process(KimProfileTest::recordDescription).to("mock:carol");
            }
        });
        MockEndpoint.assertIsSatisfied(20, java.util.concurrent.TimeUnit.SECONDS, bobInbox, carolInbox);
        for (MockEndpoint inbox : List.of(bobInbox, carolInbox)) {
            Exchange in = inbox.getReceivedExchanges().get(0);
            Map<String, Object> h = in.getMessage().getHeaders();
            assertEquals("VALID", h.get(KvConnectConstants.SIGNATURE_STATUS),
                    () -> String.valueOf(h.get(KvConnectConstants.SIGNATURE_DETAIL)));
            assertEquals(alice.address(), h.get(KvConnectConstants.SIGNER_ADDRESS));
            assertEquals(messageId, h.get(KvConnectConstants.MESSAGE_ID));
            assertEquals("Arztbrief f\u00fcr Frau M\u00fcller", h.get(KvConnectConstants.SUBJECT),
                    "the signed inner subject, not KOM-LE-Nachricht");
            assertEquals("Arztbrief;VHitG-Versand;V1.2", h.get(KvConnectConstants.DIENSTKENNUNG));
            assertEquals("Sehr geehrte Kollegin, anbei der Brief.", h.get(KvConnectConstants.TEXT));
            assertArrayEquals(pdf, ReadContent.attachment(in, "arztbrief.pdf"));
            assertEquals("eAB-PDF-unsigned", in.getProperty(DESCRIPTION));
        }
        awaitMailboxSize(bob, 0);
        awaitMailboxSize(carol, 0);
    }

    private static void recordDescription(Exchange exchange) {
        exchange.setProperty(DESCRIPTION, exchange.getMessage(AttachmentMessage.class).getAttachmentObject("arztbrief.pdf")
                .getHeader("Content-Description"));
    }

    @Test
    void kimConsumerStillReadsKvConnectMessages() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String messageId = send(alice, bob, "im alten Format");
        String head = new String(kvc.admin().readMessage(bob.username(), messageId).orElseThrow(), StandardCharsets.US_ASCII);
        assertTrue(head.contains("smime-type=enveloped-data"), "the default profile is KV-Connect's");

        MockEndpoint inbox = receive(bob, "profile=KIM", 1);
        Map<String, Object> h = inbox.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertEquals("VALID", h.get(KvConnectConstants.SIGNATURE_STATUS));
        assertEquals("im alten Format", h.get(KvConnectConstants.TEXT));
        awaitMailboxSize(bob, 0);
    }
}
