package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data format in routes: custom reference, instance, and the dataformat: component with URI options. */
class KvConnectSmimeDataFormatTest extends CamelTestSupport {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials CAROL = PKI.user("carol@kv-safenet.de");

    @TempDir
    static Path work;

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        KvConnectSmimeDataFormat alice = new KvConnectSmimeDataFormat();
        alice.setCredentials(ALICE);
        alice.setCertificateResolver(TestPki.resolver(BOB, CAROL));
        alice.setTrustAnchors(PKI.anchors());
        alice.setWorkDirectory(work.toString());
        registry.bind("kvconnectSmimeAlice", alice);
        registry.bind("bob", BOB);
        registry.bind("anchors", PKI.anchors());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        KvConnectSmimeDataFormat bob = new KvConnectSmimeDataFormat();
        bob.setCredentials(BOB);
        bob.setTrustAnchors(PKI.anchors());
        bob.setWorkDirectory(work.toString());
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").marshal().custom("kvconnectSmimeAlice");
                from("direct:receive").unmarshal(bob);
                from("direct:receiveUri").to("dataformat:kvconnectSmime:unmarshal?credentials=#bob&trustAnchors=#anchors"
                                             + "&bodyType=BYTES&rsaProvider=auto&workDirectory=" + work);
            }
        };
    }

    private Map<String, Object> routing() {
        Map<String, Object> h = new HashMap<>();
        TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de").forEach(h::put);
        return h;
    }

    private byte[] entity() throws Exception {
        return TestMessages.toBytes(TestMessages.businessEntity("Befund per Camel"));
    }

    /** A File or Path body is read from the file and the file is closed again once the message is written. */
    @Test
    void fileBodyIsMarshalledAndTheFileClosed() throws Exception {
        Path file = Files.createTempFile(work.getParent(), "entity-body", ".eml");
        try {
            Files.write(file, entity());
            for (Object body : new Object[] { file, file.toFile() }) {
                byte[] transport = template.requestBodyAndHeaders("direct:send", body, routing(), byte[].class);
                var exchange = template.request("direct:receive", e -> e.getIn().setBody(transport));
                assertEquals("VALID", exchange.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
                MimeMessage received = assertInstanceOf(MimeMessage.class, exchange.getMessage().getBody());
                // (the content itself is released when the exchange completes; the structure was parsed on receipt)
                assertEquals(2, ((Multipart) received.getContent()).getCount());
                Path fds = Path.of("/proc/self/fd");
                if (Files.isDirectory(fds)) {
                    String target = file.toRealPath().toString();
                    try (var open = Files.list(fds)) {
                        assertFalse(open.anyMatch(fd -> {
                            try {
                                return Files.readSymbolicLink(fd).toString().equals(target);
                            } catch (java.io.IOException closedMeanwhile) {
                                return false;
                            }
                        }), "the body file is still open after marshal");
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void unknownRsaProviderFailsAtStart() {
        KvConnectSmimeDataFormat format = new KvConnectSmimeDataFormat();
        format.setRsaProvider("NoSuchProvider");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, format::start);
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertInstanceOf(IllegalArgumentException.class, root);
        assertTrue(root.getMessage().contains("rsaProvider NoSuchProvider: no such JCA provider"), root.getMessage());
    }

    @Test
    void registeredProviderWithoutRsaFailsAtStart() {
        KvConnectSmimeDataFormat format = new KvConnectSmimeDataFormat();
        format.setRsaProvider("SUN");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, format::start);
        Throwable t = e;
        while (t != null && !(t instanceof UnsuitableRsaProviderException)) {
            t = t.getCause();
        }
        UnsuitableRsaProviderException unsuitable = assertInstanceOf(UnsuitableRsaProviderException.class, t, e.toString());
        assertTrue(unsuitable.getMessage().startsWith("rsaProvider SUN: the JCA provider SUN does not offer Signature "
                                                      + "SHA256withRSA"), unsuitable.getMessage());
    }

    @Test
    void marshalThenUnmarshal() throws Exception {
        byte[] transport = template.requestBodyAndHeaders("direct:send", entity(), routing(), byte[].class);
        String text = new String(transport, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("X-KVC-Dienstkennung: Arztbrief;VHitG-Versand;V1.0"));
        assertFalse(text.contains("Befund per Camel"));

        var exchange = template.request("direct:receive", e -> e.getIn().setBody(transport));
        var in = exchange.getMessage();
        assertEquals("VALID", in.getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
        assertEquals("alice@kv-safenet.de", in.getHeader(KvConnectSmimeConstants.SIGNER_ADDRESS));
        assertEquals(ALICE.certificate(), in.getHeader(KvConnectSmimeConstants.SIGNER_CERTIFICATE));
        assertEquals("Arztbrief", in.getHeader(KvConnectSmimeConstants.SUBJECT));
        assertEquals("Arztbrief;VHitG-Versand;V1.0", in.getHeader("X-KVC-Dienstkennung"));
        MimeMessage body = assertInstanceOf(MimeMessage.class, in.getBody());
        assertEquals(2, ((Multipart) body.getContent()).getCount());
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "the temporary file is deleted when the exchange completes");
        }
    }

    @Test
    void dataformatComponentWithUriOptions() throws Exception {
        byte[] transport = template.requestBodyAndHeaders("direct:send", entity(), routing(), byte[].class);
        var exchange = template.request("direct:receiveUri", e -> e.getIn().setBody(transport));
        assertEquals("VALID", exchange.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
        assertTrue(new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8).contains("Befund per Camel"));
    }

    @Test
    void inboundHeadersNeverBecomeCamelControlHeaders() throws Exception {
        byte[] entity = entity();
        Map<String, Object> h = routing();
        byte[] transport = template.requestBodyAndHeaders("direct:send", entity, h, byte[].class);
        String text = new String(transport, StandardCharsets.ISO_8859_1);
        String evil = "CamelFileName: ../../etc/passwd\r\norg.apache.camel.Foo: x\r\nMail.smtp.host: evil\r\n"
                      + "camelHttpUri: http://evil\r\n";
        byte[] injected = (evil + text).getBytes(StandardCharsets.ISO_8859_1);
        var exchange = template.request("direct:receive", e -> e.getIn().setBody(injected));
        var headers = exchange.getMessage().getHeaders();
        assertNull(headers.get("CamelFileName"));
        assertNull(headers.get("camelHttpUri"));
        assertNull(headers.get("org.apache.camel.Foo"));
        assertNull(headers.get("Mail.smtp.host"));
        assertEquals("VALID", headers.get(KvConnectSmimeConstants.VERIFICATION_STATUS));
    }

    /**
     * To, Cc, From, Reply-To, Sender, Return-Path are camel-mail producer control headers: copied under their own names,
     * a pop3 -> unmarshal -> smtp route would mail the decrypted plaintext to whoever the (unauthenticated) message names.
     */
    @Test
    void inboundAddressHeadersArriveUnderPrefixedNamesOnly() throws Exception {
        Map<String, Object> h = routing();
        h.put("Cc", "carol@kv-safenet.de");
        h.put("Reply-To", "reply@kv-safenet.de");
        h.put("Sender", "sender@kv-safenet.de");
        h.put("Return-Path", "<bounce@kv-safenet.de>");
        h.put("Disposition-Notification-To", "alice@kv-safenet.de");
        byte[] transport = template.requestBodyAndHeaders("direct:send", entity(), h, byte[].class);
        // a fresh exchange, as from a pop3 consumer whose headers were cleared: only unmarshal sets headers
        var exchange = template.request("direct:receive", e -> e.getIn().setBody(transport));
        var headers = exchange.getMessage().getHeaders();
        for (String plain : new String[] { "To", "Cc", "From", "Reply-To", "Sender", "Return-Path", "Subject", "Date",
                                           "Message-ID", "Disposition-Notification-To", "Bcc" }) {
            assertNull(headers.get(plain), plain + " must not be an exchange header");
        }
        assertEquals("bob@kv-safenet.de", headers.get(KvConnectSmimeConstants.TO));
        assertEquals("carol@kv-safenet.de", headers.get(KvConnectSmimeConstants.CC));
        assertEquals("alice@kv-safenet.de", headers.get(KvConnectSmimeConstants.FROM));
        assertEquals("reply@kv-safenet.de", headers.get(KvConnectSmimeConstants.REPLY_TO));
        assertEquals("sender@kv-safenet.de", headers.get(KvConnectSmimeConstants.SENDER));
        assertEquals("<bounce@kv-safenet.de>", headers.get(KvConnectSmimeConstants.RETURN_PATH));
        assertEquals("alice@kv-safenet.de", headers.get(KvConnectSmimeConstants.DISPOSITION_NOTIFICATION_TO));
        assertEquals("Arztbrief", headers.get(KvConnectSmimeConstants.SUBJECT));
        assertEquals("CamelKvConnectSmimeReplyTo", KvConnectSmimeConstants.REPLY_TO);
        assertEquals("Arztbrief;VHitG-Versand;V1.0", headers.get("X-KVC-Dienstkennung"));
        assertEquals("VALID", headers.get(KvConnectSmimeConstants.VERIFICATION_STATUS));
    }

    @Test
    void badInputGivesTheTypedException() {
        CamelExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:receive", "From: x@y.de\r\n\r\nplain".getBytes(StandardCharsets.US_ASCII)));
        SmimeDecryptionException cause = assertInstanceOf(SmimeDecryptionException.class, e.getCause());
        assertEquals(DecryptionFailure.MALFORMED_MIME, cause.reason());
    }

    @Test
    void headerInjectionOnMarshalIsRefused() {
        Map<String, Object> h = routing();
        h.put("Subject", "x\r\nBcc: spy@evil.example");
        CamelExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeaders("direct:send", entity(), h));
        assertInstanceOf(InvalidHeaderException.class, e.getCause());
    }


    /** Two layers, the gateway's expired, the author's altered: the worst in the status header, every layer in the list. */
    @Test
    void everyLayersStatusIsAHeaderAndTheWorstIsTheStatus() throws Exception {
        String signed = new String(TestMessages.multipartSigned(entity(), ALICE, true), StandardCharsets.ISO_8859_1);
        byte[] altered = signed.replace("Befund per Camel", "Befund per Kamel").getBytes(StandardCharsets.ISO_8859_1);
        byte[] transport = WorstLayerTest.gatewayLayer(WorstLayerTest.innerMessage(altered),
                PKI.user("old-gateway@kv-safenet.de", TestPki.Variant.EXPIRED));
        var in = template.request("direct:receive", e -> e.getIn().setBody(transport)).getMessage();
        assertEquals("BAD_SIGNATURE", in.getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
        assertEquals(java.util.List.of("EXPIRED", "BAD_SIGNATURE"), in.getHeader(KvConnectSmimeConstants.VERIFICATION_LAYERS));
        assertEquals(2, in.getHeader(KvConnectSmimeConstants.LAYER_COUNT));
        assertEquals("alice@kv-safenet.de", in.getHeader(KvConnectSmimeConstants.SIGNER_ADDRESS));
    }

    /** With recipientAddresses, a signed KIM mail forwarded to another mailbox is a recipient mismatch. */
    @Test
    void recipientAddressesFlagASignedMailMeantForOthers() throws Exception {
        SmimeCredentials kimAlice = PKI.user("alice@kim.telematik");
        SmimeCredentials kimBob = PKI.user("bob@kim.telematik");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(kimAlice).certificateResolver(TestPki.resolver(kimBob))
                .trustAnchors(PKI.anchors()).build().write(TestMessages.businessEntity("Hallo"),
                        TestMessages.headers("alice@kim.telematik", "bob@kim.telematik"), out);
        for (String mailbox : new String[] { "bob@kim.telematik", "praxis@kim.telematik" }) {
            KvConnectSmimeDataFormat df = new KvConnectSmimeDataFormat();
            df.setCredentials(kimBob);
            // the KIM signature carries the signer's certificate only: its CA is trusted directly here
            df.setTrustAnchors(java.util.List.of(PKI.rootCertificate(), PKI.userCaCertificate()));
            df.setAcceptedProfiles("KIM");
            df.setBodyType("BYTES");
            df.setRecipientAddresses(" " + mailbox + " , ");
            df.setWorkDirectory(work.toString());
            var exchange = new org.apache.camel.support.DefaultExchange(context);
            // BYTES: the decrypted files are gone when unmarshal returns
            df.unmarshal(exchange, new java.io.ByteArrayInputStream(out.toByteArray()));
            Object status = exchange.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS);
            assertEquals(mailbox.startsWith("bob") ? "VALID" : "RECIPIENT_MISMATCH", status, mailbox);
        }
    }
}
