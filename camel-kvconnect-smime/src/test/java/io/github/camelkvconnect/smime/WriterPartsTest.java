package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.SharedByteArrayInputStream;

import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;

/**
 * The parts the writer now builds itself instead of through Bouncy Castle's and Jakarta Mail's per-message helpers give
 * the same bytes those helpers give.
 */
class WriterPartsTest {

    @Test
    void signingTimeEncodesAsBouncyCastlesTime() throws Exception {
        for (String at : List.of("2026-11-29T11:22:33.987Z", "1949-12-31T23:59:59Z", "1950-01-01T00:00:00Z",
                "2049-12-31T23:59:59.999Z", "2050-01-01T00:00:00Z", "2000-02-29T12:00:00Z")) {
            Instant instant = Instant.parse(at);
            Attribute expected = new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(instant))));
            assertArrayEquals(expected.getEncoded("DER"), SigningTime.at(instant).getEncoded("DER"), at);
        }
    }

    @Test
    void recipientIdentifierAsFromTheParsedCertificate() throws Exception {
        List<X509Certificate> certificates = new ArrayList<>(TestPki.shared().user("alice@kv-safenet.de").chain());
        certificates.add(TestPki.shared().rootCertificate());
        // real CA certificates of KV-Connect, with their own string types in the names
        for (String f : List.of("kvroot-ca-pem", "kvvivy-ca-pem", "kvconnect-user-ca-pem", "wrong-ca-pem")) {
            certificates.addAll(TestPki.readCertificates(TestPki.interopDir().resolve("kvconnect-krypt-ios").resolve(f)));
        }
        for (X509Certificate c : certificates) {
            IssuerAndSerialNumber expected = new IssuerAndSerialNumber(new JcaX509CertificateHolder(c).toASN1Structure());
            assertArrayEquals(expected.getEncoded("DER"), RsaOperations.issuerAndSerialNumber(c).getEncoded("DER"),
                    c.getSubjectX500Principal().toString());
        }
    }

    @Test
    void entityWrittenThroughEntityOutputIsByteForByteTheSame() throws Exception {
        byte[] raw = ("Content-Type: text/plain;\r\n\tcharset=ISO-8859-1\r\n"
                      + "Content-Disposition: attachment; filename=\"Befund \u00e4.txt\"\r\n"
                      + "X-Folded: a\r\n b\r\n"
                      + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                      + "Gr\u00fc\u00dfe\r\nzweite Zeile\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<MimeBodyPart> parts = List.of(new MimeBodyPart(new SharedByteArrayInputStream(raw)),
                TestMessages.businessEntity("Befund mit Anhang"));
        for (MimeBodyPart part : parts) {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            part.writeTo(plain);
            ByteArrayOutputStream viaLines = new ByteArrayOutputStream();
            part.writeTo(new EntityOutput(viaLines));
            assertEquals(new String(plain.toByteArray(), StandardCharsets.ISO_8859_1),
                    new String(viaLines.toByteArray(), StandardCharsets.ISO_8859_1));
        }
    }
}
