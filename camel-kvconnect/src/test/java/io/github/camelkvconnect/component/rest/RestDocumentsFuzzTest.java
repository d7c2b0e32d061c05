package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.crypto.ReceivedMessage;
import io.github.camelkvconnect.component.mime.InboundMapper;
import io.github.camelkvconnect.component.support.TestKeys;
import io.github.camelkvconnect.emulator.rest.Xml;

/**
 * Fuzz target Z3: the XML documents of the KV-Connect REST interface as the client parses them (a hostile or broken
 * server controls every byte). The first byte chooses the document:
 * <ul>
 * <li>{@code 0 mod 4}: the header list ({@code GET accounts/{uid}/headers}); every parsed entry then goes through the
 * consumer's {@link InboundMapper} onto a real {@link Exchange} (the consumer maps the routing headers of the message
 * itself with that mapper; the server's fields stand in for them here as the worst case)</li>
 * <li>{@code 1 mod 4}: a certificate ({@code GET certificates?email=})</li>
 * <li>{@code 2 mod 4}: a CSR status ({@code GET csr/{id}})</li>
 * <li>{@code 3 mod 4}: the account document of the login</li>
 * </ul>
 * Oracle: only the client's declared {@link IOException} (its {@link KvConnectRestException} family) escapes, never an
 * unchecked exception or {@code Error}; and no header name of the server reaches the exchange: every exchange header
 * is one of the component's own {@link KvConnectConstants}.
 * <p>
 * Seeds: valid documents written at test time with the emulator's own XML writer (what the real server answers), plus
 * files under {@code RestDocumentsFuzzTestInputs}. {@code mvn verify} runs only the seeds (regression mode); real
 * fuzzing: {@code JAZZER_FUZZ=1 mvn -B -o -pl camel-kvconnect test -Dtest=RestDocumentsFuzzTest}.
 */
class RestDocumentsFuzzTest {

    private static final Set<String> OWN_HEADERS = ownHeaderNames();
    private static final CamelContext CONTEXT = new DefaultCamelContext();
    private static final Session SESSION = Session.getInstance(new java.util.Properties());

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3m")
    void serverDocuments(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            switch (Math.floorMod(input[0], 4)) {
                case 0 -> {
                    for (MailHeader header : KvConnectRestClient.parseHeaders(new ByteArrayInputStream(body))) {
                        header.messageId();
                        header.dienstkennung();
                        mapOntoExchange(header);
                    }
                }
                case 1 -> KvConnectRestClient.parseCertificate(text, "certificates?email=");
                case 2 -> {
                    CsrStatus status = KvConnectRestClient.parseCsrStatus(text);
                    status.latest();
                    status.isCompleted();
                    if (status.isFailed()) {
                        status.failureReason();
                    }
                }
                default -> KvConnectRestClient.parseAccount(text, null);
            }
        } catch (IOException declared) {
            // the client's contract for a document it cannot use
        }
    }

    /** What the consumer does with a header entry: it becomes the routing headers of the received message. */
    private static void mapOntoExchange(MailHeader header) throws Exception {
        MimeMessage entity = new MimeMessage(SESSION);
        entity.setText("Befund", "UTF-8");
        entity.saveChanges();
        Exchange exchange = new DefaultExchange(CONTEXT);
        try (ReceivedMessage received = new ReceivedMessage(entity, header.fields(), "VALID", null, null, null)) {
            InboundMapper.map(received, "account", 1024, exchange);
        }
        for (String name : exchange.getIn().getHeaders().keySet()) {
            if (!OWN_HEADERS.contains(name)) {
                throw new AssertionError("a header name from the server reached the exchange: " + name);
            }
        }
    }

    private static Set<String> ownHeaderNames() {
        Set<String> names = new HashSet<>();
        for (Field f : KvConnectConstants.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    static Stream<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        Xml headers = Xml.document().start("headers");
        for (int i = 0; i < 2; i++) {
            headers.start("header").element("message-id", "<" + i + "@kv-safenet.de>").element("from", "alice@kv-safenet.de")
                    .element("to", "bob@kv-safenet.de").element("subject", "=?UTF-8?Q?Befund_f=C3=BCr?=")
                    .element("date", "Sun, 29 Nov 2026 10:00:00 +0100").element("x-kvc-dienstkennung", "eArztbrief;VhitG-Versand;V1.2")
                    .element("x-kvc-sendersystem", "Praxis;1.0").element("disposition-notification-to", "alice@kv-safenet.de")
                    .element("CamelFileName", "../../etc/passwd").end();
        }
        seeds.add(prefixed(0, headers.end().toXml()));
        X509Certificate cert = TestKeys.selfSigned(TestKeys.rsa(), "CN=bob,E=bob@kv-safenet.de");
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        seeds.add(prefixed(1, Xml.document().start("certificate").element("id", cert.getSerialNumber().toString(16))
                .element("email", "bob@kv-safenet.de").element("body", pem).end().toXml()));
        Xml csr = Xml.document().start("csr-status").attribute("id", "17").start("status-entries");
        for (int status : new int[] { 100, 200, 902 }) {
            csr.start("status-entry").attribute("status", Integer.toString(status)).attribute("date", "2026-11-29T10:00:00Z").end();
        }
        seeds.add(prefixed(2, csr.end().element("message", "rejected").end().toXml()));
        seeds.add(prefixed(3, Xml.document().start("account").attribute("uid", "4711").element("email", "bob@kv-safenet.de")
                .element("passwordChangeNeeded", "false").end().toXml()));
        // deep nesting: the element walk must not run out of stack (the fuzzer's inputs are too short to get there)
        seeds.add(prefixed(0, "<headers>" + "<header>".repeat(20_000) + "</header>".repeat(20_000) + "</headers>"));
        return seeds.stream();
    }

    @org.junit.jupiter.api.Test
    void theSeedHeaderListReachesTheExchangeFiltered() throws Exception {
        byte[] seed = seeds().findFirst().orElseThrow();
        List<MailHeader> headers = KvConnectRestClient.parseHeaders(new ByteArrayInputStream(seed, 1, seed.length - 1));
        org.junit.jupiter.api.Assertions.assertEquals(2, headers.size());
        org.junit.jupiter.api.Assertions.assertEquals("../../etc/passwd", headers.get(0).get("camelfilename"));
        Exchange exchange = new DefaultExchange(CONTEXT);
        try (ReceivedMessage received = new ReceivedMessage(new MimeMessage(SESSION), headers.get(0).fields(), "VALID",
                null, null, null)) {
            InboundMapper.map(received, "account", 1024, exchange);
        } catch (jakarta.mail.MessagingException | IOException ignore) {
            // the empty entity is not the point here; the routing headers are mapped before it is walked
        }
        org.junit.jupiter.api.Assertions.assertEquals("alice@kv-safenet.de", exchange.getIn().getHeader(KvConnectConstants.FROM));
        org.junit.jupiter.api.Assertions.assertNull(exchange.getIn().getHeader("camelfilename"));
        org.junit.jupiter.api.Assertions.assertNull(exchange.getIn().getHeader("CamelFileName"));
    }

    private static byte[] prefixed(int mode, String document) {
        byte[] b = document.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[b.length + 1];
        result[0] = (byte) mode;
        System.arraycopy(b, 0, result, 1, b.length);
        return result;
    }
}
