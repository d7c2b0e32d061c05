package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/** The real KV-Connect message of the KV Telematik reference environment (2018), two encryption layers. */
class KvConnectVectorTest {

    private static final Path DIR = TestPki.interopDir().resolve("kvconnect-krypt-ios");
    private static final Instant MESSAGE_DATE = Instant.parse("2018-09-28T12:00:00Z");

    private static List<X509Certificate> cas(String... files) throws Exception {
        List<X509Certificate> result = new ArrayList<>();
        for (String f : files) {
            result.addAll(TestPki.readCertificates(DIR.resolve(f)));
        }
        return result;
    }

    private static SmimeReader.Builder reader(String key) throws Exception {
        return SmimeReader.builder().privateKey(TestPki.readPrivateKey(DIR.resolve(key)));
    }

    @Test
    void decryptsBothLayersToTheEArztbriefAndVerifiesAtTheMessageDate() throws Exception {
        SmimeReader reader = reader("kvprivatekey-open-pem")
                .trustAnchors(cas("kvroot-ca-pem", "kvvivy-ca-pem", "kvconnect-user-ca-pem"))
                .validationTime(MESSAGE_DATE).build();
        Path entityFile;
        try (DecryptedMessage m = reader.read(DIR.resolve("kvconnect-mail"))) {
            entityFile = m.entityFile();
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals(2, m.layerCount());
            assertEquals(List.of(VerificationStatus.VALID, VerificationStatus.VALID), m.verification().layerStatuses());
            assertEquals("kvcm.testmailer.KVTG@kv-safenet.de",
                    m.verification().layers().get(0).signerAddress(), "the gateway signed the outer layer");
            assertEquals("doc.kvcmws.kvtg@kv-safenet.de", m.routingHeaders().get("from"));
            assertEquals("Arztbrief;VHitG-Versand;V1.0", m.routingHeaders().get("x-kvc-dienstkennung"));
            assertEquals("kvcm.testmailer.KVTG@kv-safenet.de", m.outerHeaders().getHeader("From", null));
            assertEquals("doc.kvcmws.kvtg@kv-safenet.de", m.verification().signerAddress().toLowerCase());

            MimeMessage expected;
            try (InputStream in = Files.newInputStream(DIR.resolve("kvconnect-mail-dec-verified-both-layers"))) {
                expected = new MimeMessage(Session.getInstance(new Properties()), in);
                expected.getContent();
                Multipart want = (Multipart) expected.getContent();
                Multipart got = (Multipart) m.businessEntity().getContent();
                assertEquals(3, got.getCount());
                assertEquals(want.getCount(), got.getCount());
                for (int i = 0; i < 3; i++) {
                    BodyPart w = want.getBodyPart(i);
                    BodyPart g = got.getBodyPart(i);
                    assertEquals(w.getContentType(), g.getContentType());
                    assertArrayEquals(w.getInputStream().readAllBytes(), g.getInputStream().readAllBytes(), "part " + i);
                }
                assertEquals("eAB-XML", got.getBodyPart(1).getDescription());
                assertEquals("eAB-PDF-unsigned", got.getBodyPart(2).getDescription());
                assertEquals(true, got.getBodyPart(2).getInputStream().readNBytes(5).length == 5);
            }
        }
        assertFalse(Files.exists(entityFile), "the temporary entity file is deleted on close");
    }

    @Test
    void certificatesHaveExpiredNow() throws Exception {
        SmimeReader reader = reader("kvprivatekey-open-pem")
                .trustAnchors(cas("kvroot-ca-pem", "kvvivy-ca-pem", "kvconnect-user-ca-pem")).build();
        try (DecryptedMessage m = reader.read(DIR.resolve("kvconnect-mail"))) {
            assertEquals(VerificationStatus.EXPIRED, m.verification().status());
            assertEquals(List.of(VerificationStatus.EXPIRED, VerificationStatus.EXPIRED), m.verification().layerStatuses());
        }
    }

    @Test
    void anUnrelatedCaAloneIsUntrusted() throws Exception {
        SmimeReader reader = reader("kvprivatekey-open-pem").trustAnchors(cas("wrong-ca-pem"))
                .validationTime(MESSAGE_DATE).build();
        try (InputStream in = Files.newInputStream(DIR.resolve("kvconnect-mail"));
             DecryptedMessage m = reader.read(in)) {
            assertEquals(VerificationStatus.UNTRUSTED_CHAIN, m.verification().status());
        }
    }

    @Test
    void theWrongKeyFailsWithTheDecryptionException() throws Exception {
        SmimeReader reader = reader("wrong-privatekey-open-pem").trustAnchors(cas("kvroot-ca-pem")).build();
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader.read(DIR.resolve("kvconnect-mail")));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, e.reason());
    }
}
