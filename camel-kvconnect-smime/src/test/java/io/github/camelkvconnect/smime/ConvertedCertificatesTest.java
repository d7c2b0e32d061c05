package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

/** The reader's remembered certificate conversions give what a fresh conversion gives, for a bounded number. */
class ConvertedCertificatesTest {

    private static final TestPki PKI = TestPki.shared();

    @Test
    void sameEncodingSameCertificateOtherEncodingOther() throws Exception {
        ConvertedCertificates converted = new ConvertedCertificates();
        SmimeCredentials alice = PKI.user("alice@kv-safenet.de");
        SmimeCredentials bob = PKI.user("bob@kv-safenet.de");
        // two holders parsed separately from the same bytes, as two messages carry them
        var a1 = converted.convert(new X509CertificateHolder(alice.certificate().getEncoded()));
        var a2 = converted.convert(new X509CertificateHolder(alice.certificate().getEncoded()));
        var b = converted.convert(new X509CertificateHolder(bob.certificate().getEncoded()));
        assertEquals(alice.certificate(), a1);
        assertSame(a1, a2, "the second message's copy is not converted again");
        assertEquals(bob.certificate(), b);
        assertNotSame(a1, b);
        assertEquals(2, converted.size());
    }

    @Test
    void remembersAtMostItsCapacity() throws Exception {
        ConvertedCertificates converted = new ConvertedCertificates(2);
        var chain = new java.util.ArrayList<>(PKI.user("alice@kv-safenet.de").chain());
        chain.add(PKI.rootCertificate());
        for (var certificate : chain) {
            assertEquals(certificate, converted.convert(new X509CertificateHolder(certificate.getEncoded())));
        }
        assertEquals(2, converted.size(), "the least recently used one is forgotten");
    }
}
