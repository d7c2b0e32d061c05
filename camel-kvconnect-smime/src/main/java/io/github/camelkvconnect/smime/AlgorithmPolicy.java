package io.github.camelkvconnect.smime;

import java.util.Objects;
import java.util.Set;

/**
 * Which algorithms a profile accepts when reading, by OID: envelope content types (EnvelopedData, AuthEnvelopedData),
 * content ciphers, key-transport algorithms and signature algorithms, plus the minimum GCM tag length. Immutable; use
 * the {@code with*} methods to derive a customised policy.
 */
public final class AlgorithmPolicy {

    /** id-envelopedData. */
    public static final String ENVELOPED_DATA = "1.2.840.113549.1.7.3";
    /** id-ct-authEnvelopedData. */
    public static final String AUTH_ENVELOPED_DATA = "1.2.840.113549.1.9.16.1.23";
    /** aes256-CBC. */
    public static final String AES256_CBC = "2.16.840.1.101.3.4.1.42";
    /** aes256-GCM. */
    public static final String AES256_GCM = "2.16.840.1.101.3.4.1.46";
    /** rsaEncryption, i.e. RSAES-PKCS1-v1_5 key transport. */
    public static final String RSA_PKCS1 = "1.2.840.113549.1.1.1";
    /** id-RSAES-OAEP. */
    public static final String RSA_OAEP = "1.2.840.113549.1.1.7";
    /** sha256WithRSAEncryption (PKCS#1 v1.5). */
    public static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    /** id-RSASSA-PSS. */
    public static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

    private final Set<String> envelopeContentTypes;
    private final Set<String> contentCiphers;
    private final Set<String> keyTransportAlgorithms;
    private final Set<String> signatureAlgorithms;
    private final int minGcmTagBytes;

    public AlgorithmPolicy(Set<String> envelopeContentTypes, Set<String> contentCiphers, Set<String> keyTransportAlgorithms,
                           Set<String> signatureAlgorithms, int minGcmTagBytes) {
        this.envelopeContentTypes = Set.copyOf(envelopeContentTypes);
        this.contentCiphers = Set.copyOf(contentCiphers);
        this.keyTransportAlgorithms = Set.copyOf(keyTransportAlgorithms);
        this.signatureAlgorithms = Set.copyOf(signatureAlgorithms);
        if (minGcmTagBytes < 16) {
            throw new IllegalArgumentException("GCM tags shorter than 128 bits are never accepted");
        }
        this.minGcmTagBytes = minGcmTagBytes;
    }

    /**
     * KV-Connect (domain §6): EnvelopedData with AES-256-CBC and RSA PKCS#1 v1.5, SHA256withRSA signatures. AES-256-GCM
     * and OAEP are accepted too, since they are strictly stronger.
     */
    public static AlgorithmPolicy kvConnect() {
        return new AlgorithmPolicy(Set.of(ENVELOPED_DATA, AUTH_ENVELOPED_DATA), Set.of(AES256_CBC, AES256_GCM),
                Set.of(RSA_PKCS1, RSA_OAEP), Set.of(SHA256_WITH_RSA, RSA_PKCS1, RSASSA_PSS), 16);
    }

    /** KIM (gemSMIME_KOMLE): only AuthEnvelopedData with AES-256-GCM (128-bit tag) and RSAES-OAEP; RSASSA-PSS signatures. */
    public static AlgorithmPolicy kim() {
        return new AlgorithmPolicy(Set.of(AUTH_ENVELOPED_DATA), Set.of(AES256_GCM), Set.of(RSA_OAEP), Set.of(RSASSA_PSS), 16);
    }

    public Set<String> envelopeContentTypes() {
        return envelopeContentTypes;
    }

    public Set<String> contentCiphers() {
        return contentCiphers;
    }

    public Set<String> keyTransportAlgorithms() {
        return keyTransportAlgorithms;
    }

    public Set<String> signatureAlgorithms() {
        return signatureAlgorithms;
    }

    /** Minimum GCM authentication tag length in bytes (at least 16). */
    public int minGcmTagBytes() {
        return minGcmTagBytes;
    }

    public AlgorithmPolicy withEnvelopeContentTypes(Set<String> oids) {
        return new AlgorithmPolicy(oids, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes);
    }

    public AlgorithmPolicy withContentCiphers(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, oids, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes);
    }

    public AlgorithmPolicy withKeyTransportAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, oids, signatureAlgorithms, minGcmTagBytes);
    }

    public AlgorithmPolicy withSignatureAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, oids, minGcmTagBytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlgorithmPolicy p && envelopeContentTypes.equals(p.envelopeContentTypes)
               && contentCiphers.equals(p.contentCiphers) && keyTransportAlgorithms.equals(p.keyTransportAlgorithms)
               && signatureAlgorithms.equals(p.signatureAlgorithms) && minGcmTagBytes == p.minGcmTagBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes);
    }

    @Override
    public String toString() {
        return "AlgorithmPolicy[envelopes=" + envelopeContentTypes + ", ciphers=" + contentCiphers + ", keyTransport="
               + keyTransportAlgorithms + ", signatures=" + signatureAlgorithms + ", minGcmTagBytes=" + minGcmTagBytes + "]";
    }
}
