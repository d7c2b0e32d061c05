package io.github.camelkvconnect.component;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.mime.InboundMapper;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.ReadContent;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real KV-Connect message from the KV Telematik reference environment (2018), injected into a mailbox and received
 * with an archive validation time: both layers decrypted, the eArztbrief delivered with its parts.
 */
class InteropVectorTest extends KvConnectTestSupport {

    static final Path VECTORS = Path.of(System.getProperty("kvconnect.interop.dir", "../../shared/interop"))
            .resolve("kvconnect-krypt-ios");

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static PrivateKey readKey(Path pem) throws Exception {
        try (Reader r = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return o instanceof PEMKeyPair kp ? converter.getPrivateKey(kp.getPrivateKeyInfo())
                    : converter.getPrivateKey((PrivateKeyInfo) o);
        }
    }

    @Test
    void realKvConnectMessageIsReceivedAtItsArchiveDate() throws Exception {
        Exchange in = receiveVector("nutzer.123456.anbieter", "&validationTime=2018-09-28T11:25:29Z");
        assertEquals("VALID", in.getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS),
                () -> String.valueOf(in.getMessage().getHeader(KvConnectConstants.SIGNATURE_DETAIL)));
        assertEquals(List.of("VALID", "VALID"), in.getMessage().getHeader(KvConnectConstants.SIGNATURE_LAYERS),
                "the gateway's layer and the author's");
    }

    @Test
    void validatedNowTheExpiredCertificatesAreReportedButTheMessageIsDelivered() throws Exception {
        Exchange in = receiveVector("nutzer.now", "");
        assertEquals("EXPIRED", in.getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS));
        assertEquals(List.of("EXPIRED", "EXPIRED"), in.getMessage().getHeader(KvConnectConstants.SIGNATURE_LAYERS));
        assertEquals(Boolean.FALSE, in.getMessage().getHeader(KvConnectConstants.SIGNATURE_VALID));
    }

    private Exchange receiveVector(String username, String options) throws Exception {
        kvc.bareAccount(username);
        // The vector has the recipient's key but not its certificate: pair the key with a self-signed certificate.
        PrivateKey key = readKey(VECTORS.resolve("kvprivatekey-open-pem"));
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(),
                crt.getPublicExponent()));
        Path keystore = TestKeys.keystore(testDir.resolve("nutzer.p12"), key,
                List.of(TestKeys.selfSigned(new KeyPair(pub, key), "CN=" + username)), EmulatorFixture.PIN);
        String messageId = kvc.admin().injectMessage(username, Files.readAllBytes(VECTORS.resolve("kvconnect-mail")));
        String anchors = String.join(",",
                VECTORS.resolve("kvroot-ca-pem").toString(), VECTORS.resolve("kvvivy-ca-pem").toString(),
                VECTORS.resolve("kvroot-kvvivy-additional-ca-pem").toString(),
                VECTORS.resolve("kvconnect-root-ca-pem").toString(), VECTORS.resolve("kvconnect-user-ca-pem").toString());

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        String uri = kvc.uri(username, keystore, state(username), FAST_POLL + options)
                .replace("smimeTrustAnchors=" + kvc.smimeAnchors(), "smimeTrustAnchors=" + anchors);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(ReadContent.intoProperties()).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(30_000);

        Exchange in = inbox.getReceivedExchanges().get(0);
        assertEquals(messageId, in.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertTrue(in.getMessage().getHeader(KvConnectConstants.FROM, String.class).contains("kv-safenet.de"));
        assertEquals("Arztbrief;VHitG-Versand;V1.0", in.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG));
        assertTrue(in.getMessage().getHeader(InboundMapper.TEXT_HEADER, String.class)
                .contains("Dies ist ein vorgefertigter Arztbrief mit einer MDN-Anforderung"));
        AttachmentMessage am = in.getMessage(AttachmentMessage.class);
        assertTrue(am.getAttachmentNames().contains("eArztbrief Test.xml"), () -> String.valueOf(am.getAttachmentNames()));
        assertTrue(am.getAttachmentNames().contains("Anlage_eArztbrief_test01.pdf"));
        assertEquals("eAB-XML", am.getAttachmentObject("eArztbrief Test.xml").getHeader("Content-Description"));
        byte[] pdf = ReadContent.attachment(in, "Anlage_eArztbrief_test01.pdf");
        assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        io.github.camelkvconnect.component.support.Await.until("message deleted", java.time.Duration.ofSeconds(20),
                () -> kvc.admin().listMailbox(username).isEmpty());
        return in;
    }
}
