package io.github.camelkvconnect.component.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate revocation lists for tests, written as PEM files like a CA publishes them. */
public final class TestCrls {

    private static final AtomicLong NUMBER = new AtomicLong(System.currentTimeMillis());

    private TestCrls() {
    }

    /**
     * Writes a CRL of {@code ca} (signed with {@code caKey}), current from {@code thisUpdate} to {@code nextUpdate},
     * listing {@code revoked} as revoked at {@code thisUpdate} (key compromise).
     */
    public static Path writePem(Path file, X509Certificate ca, PrivateKey caKey, Instant thisUpdate, Instant nextUpdate,
                                X509Certificate... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate r : revoked) {
            b.addCRLEntry(r.getSerialNumber(), Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(NUMBER.incrementAndGet())));
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey)).getEncoded();
        String pem = "-----BEGIN X509 CRL-----\n"
                     + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                     + "\n-----END X509 CRL-----\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
