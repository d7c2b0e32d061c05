package io.github.camelkvconnect.smime;

import java.security.GeneralSecurityException;
import java.security.Provider;

import javax.crypto.Cipher;

import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The operations that touch every byte of a message, SHA-256 over the signed content and AES-256-CBC of the
 * KV-Connect envelope, run on the JVM's preferred providers: on HotSpot these use the CPU's SHA and AES instructions,
 * Bouncy Castle's pure-Java engines are several times slower (docs/benchmarks.md). Both are mandatory algorithms of
 * every Java SE platform and deterministic, so the bytes on the wire do not change. Everything else (RSA key
 * transport with its implicit rejection, AES-GCM of KIM, RSASSA-PSS, certificates) stays on {@link CertificateChecks#BC}.
 */
final class BulkCrypto {

    private static volatile Provider aesCbc;

    private BulkCrypto() {
    }

    /** SHA-256 and friends for signing and verifying content. */
    static DigestCalculatorProvider digests() throws OperatorCreationException {
        return DIGESTS;
    }

    /** Stateless (every get() makes a new MessageDigest): one for all, instead of one per signer and message. */
    private static final DigestCalculatorProvider DIGESTS;

    static {
        try {
            DIGESTS = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The provider the JVM picks for AES/CBC/PKCS5Padding (SunJCE on OpenJDK unless the host prefers another); Bouncy
     * Castle if the JVM has none, which a Java SE platform must not lack.
     */
    static Provider aesCbcProvider() {
        Provider p = aesCbc;
        if (p == null) {
            try {
                p = Cipher.getInstance("AES/CBC/PKCS5Padding").getProvider();
            } catch (GeneralSecurityException e) {
                p = CertificateChecks.BC;
            }
            aesCbc = p;
        }
        return p;
    }
}
