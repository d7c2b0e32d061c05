package io.github.camelkvconnect.smime;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * Converts the certificates a message carries (Bouncy Castle holders) to {@link X509Certificate}s and remembers the
 * last few conversions. Every message of a correspondent carries the same signer chain; converting it anew (a full
 * certificate parse by the CertificateFactory) was a tenth of verifying a 1 KiB message. Keyed by the holder, whose
 * equality is the ASN.1 structure's: the converter parses the holder's DER encoding, which equal structures share, so
 * a remembered certificate is the one a fresh conversion would give. Thread-safe.
 */
final class ConvertedCertificates {

    /** Enough for the chains of the correspondents of a busy mailbox; each entry is a certificate (~1-2 KiB). */
    static final int CAPACITY = 256;

    private final JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(CertificateChecks.BC);
    private final Map<X509CertificateHolder, X509Certificate> recent;

    ConvertedCertificates() {
        this(CAPACITY);
    }

    ConvertedCertificates(int capacity) {
        recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<X509CertificateHolder, X509Certificate> eldest) {
                return size() > capacity;
            }
        };
    }

    X509Certificate convert(X509CertificateHolder holder) throws CertificateException {
        // structural hashCode/equals: no re-encoding of the certificate just to look it up
        synchronized (recent) {
            X509Certificate known = recent.get(holder);
            if (known != null) {
                return known;
            }
        }
        X509Certificate converted = converter.getCertificate(holder);
        synchronized (recent) {
            recent.put(holder, converted);
        }
        return converted;
    }

    int size() {
        synchronized (recent) {
            return recent.size();
        }
    }
}
