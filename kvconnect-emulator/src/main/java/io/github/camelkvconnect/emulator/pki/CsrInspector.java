package io.github.camelkvconnect.emulator.pki;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a PEM CSR the way the KV-Connect server does before passing it to the CA: signature, RSA key of at least
 * 2048 bits (else status 902, rejected) and subject {@code x500UniqueIdentifier=<username>} (else 903, wrong subject).
 */
public final class CsrInspector {

    /** x500UniqueIdentifier, 2.5.4.45. */
    public static final ASN1ObjectIdentifier X500_UNIQUE_IDENTIFIER = new ASN1ObjectIdentifier("2.5.4.45");

    /** Minimum RSA modulus size. */
    public static final int MIN_RSA_BITS = 2048;

    /**
     * The outcome of the checks.
     *
     * @param publicKey   the CSR's public key (null if unusable)
     * @param finalStatus 0 if acceptable, else the final CSR status (902 or 903)
     * @param reason      why it was refused, or null
     */
    public record Result(PublicKey publicKey, int finalStatus, String reason) {
        /** @return whether the CSR may go to the CA */
        public boolean accepted() {
            return finalStatus == 0;
        }
    }

    private CsrInspector() {
    }

    /**
     * @param pem      the CSR as PEM text
     * @param username the authenticated user
     * @return the outcome
     * @throws IllegalArgumentException if the text is not a PEM PKCS#10 request at all
     */
    public static Result inspect(String pem, String username) {
        Object parsed = Pem.read(pem);
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new IllegalArgumentException("The body is not a PEM certificate signing request"
                    + " (-----BEGIN CERTIFICATE REQUEST-----, PKCS#10)");
        }
        PublicKey key;
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            key = jca.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                return new Result(null, 902, "the CSR signature does not verify");
            }
        } catch (Exception e) {
            return new Result(null, 902, "the CSR key or signature cannot be processed: " + e.getMessage());
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            return new Result(null, 902, "the CSR key is " + key.getAlgorithm() + "; an RSA key is required");
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            return new Result(null, 902, "the RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
                    + MIN_RSA_BITS + " are required");
        }
        String unique = null;
        for (RDN rdn : request.getSubject().getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (X500_UNIQUE_IDENTIFIER.equals(atv.getType())) {
                    unique = text(atv.getValue());
                }
            }
        }
        if (unique == null || !unique.equalsIgnoreCase(username)) {
            return new Result(key, 903, "the CSR subject must be x500UniqueIdentifier=" + username + ", but is '"
                    + request.getSubject() + "'");
        }
        return new Result(key, 0, null);
    }

    private static String text(ASN1Encodable value) {
        if (value instanceof ASN1String s) {
            return s.getString();
        }
        if (value instanceof ASN1BitString bits) {
            return new String(bits.getOctets(), StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
