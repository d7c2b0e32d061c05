package io.github.camelkvconnect.smime;

import java.util.Objects;
import java.util.Set;

/**
 * Which algorithms a profile accepts when reading, by OID: envelope content types (EnvelopedData, AuthEnvelopedData),
 * content ciphers, key-transport algorithms, signature algorithms and the digest algorithms of signatures (also the
 * hash and MGF1 hash of RSASSA-PSS parameters), plus the minimum GCM tag length and the minimum RSA key size of a
 * signer.
 * <p>
 * Elliptic curves (KIM only by default): the {@link #ellipticCurves() curves} an ECDSA signer's key, an EC recipient
 * certificate and the originator key of an ECDH key agreement may use, the {@link #keyAgreementAlgorithms() key
 * agreement schemes} and {@link #keyWrapAlgorithms() key wrap algorithms} of a KeyAgreeRecipientInfo. A policy without
 * curves accepts no EC key at all (KV-Connect). Immutable; use the {@code with*} methods to derive a customised policy.
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
    /** sha384WithRSAEncryption (PKCS#1 v1.5). */
    public static final String SHA384_WITH_RSA = "1.2.840.113549.1.1.12";
    /** sha512WithRSAEncryption (PKCS#1 v1.5). */
    public static final String SHA512_WITH_RSA = "1.2.840.113549.1.1.13";
    /** id-RSASSA-PSS. */
    public static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
    /** id-sha256. */
    public static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    /** id-sha384. */
    public static final String SHA384 = "2.16.840.1.101.3.4.2.2";
    /** id-sha512. */
    public static final String SHA512 = "2.16.840.1.101.3.4.2.3";
    /** The signature digests both profiles accept: SHA-256, SHA-384, SHA-512 (never MD5 or SHA-1). */
    public static final Set<String> STRONG_DIGESTS = Set.of(SHA256, SHA384, SHA512);
    /** ecdsa-with-SHA256 (RFC 5758). */
    public static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    /** ecdsa-with-SHA384. */
    public static final String ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";
    /** ecdsa-with-SHA512. */
    public static final String ECDSA_WITH_SHA512 = "1.2.840.10045.4.3.4";
    /** dhSinglePass-stdDH-sha256kdf-scheme: ephemeral-static ECDH with the X9.63 KDF over SHA-256 (RFC 5753, RFC 8418 style). */
    public static final String ECDH_SHA256_KDF = "1.3.132.1.11.1";
    /** dhSinglePass-stdDH-sha384kdf-scheme. */
    public static final String ECDH_SHA384_KDF = "1.3.132.1.11.2";
    /** dhSinglePass-stdDH-sha512kdf-scheme. */
    public static final String ECDH_SHA512_KDF = "1.3.132.1.11.3";
    /** id-aes256-wrap (RFC 3394). */
    public static final String AES256_WRAP = "2.16.840.1.101.3.4.1.45";
    /** brainpoolP256r1 (RFC 5639), the curve of the TI smartcards' ECC keys (SMC-B/HBA G2.1). */
    public static final String BRAINPOOL_P256R1 = "1.3.36.3.3.2.8.1.1.7";
    /** brainpoolP384r1. */
    public static final String BRAINPOOL_P384R1 = "1.3.36.3.3.2.8.1.1.11";
    /** brainpoolP512r1. */
    public static final String BRAINPOOL_P512R1 = "1.3.36.3.3.2.8.1.1.13";
    /** NIST P-256 (secp256r1, prime256v1). */
    public static final String NIST_P256 = "1.2.840.10045.3.1.7";
    /** NIST P-384 (secp384r1). */
    public static final String NIST_P384 = "1.3.132.0.34";
    /** The curves the KIM profile accepts: brainpoolP256r1/P384r1/P512r1, NIST P-256 and P-384. */
    public static final Set<String> KIM_CURVES = Set.of(BRAINPOOL_P256R1, BRAINPOOL_P384R1, BRAINPOOL_P512R1, NIST_P256,
            NIST_P384);
    /** Smallest RSA signer key accepted by default, and the lowest value a policy may set. */
    public static final int MIN_RSA_KEY_BITS = 2048;

    private final Set<String> envelopeContentTypes;
    private final Set<String> contentCiphers;
    private final Set<String> keyTransportAlgorithms;
    private final Set<String> signatureAlgorithms;
    private final int minGcmTagBytes;
    private final Set<String> digestAlgorithms;
    private final int minRsaKeyBits;
    private final Set<String> ellipticCurves;
    private final Set<String> keyAgreementAlgorithms;
    private final Set<String> keyWrapAlgorithms;

    /** A policy with the {@link #STRONG_DIGESTS} and signer keys of at least {@value #MIN_RSA_KEY_BITS} bits. */
    public AlgorithmPolicy(Set<String> envelopeContentTypes, Set<String> contentCiphers, Set<String> keyTransportAlgorithms,
                           Set<String> signatureAlgorithms, int minGcmTagBytes) {
        this(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes,
                STRONG_DIGESTS, MIN_RSA_KEY_BITS);
    }

    /**
     * A policy without elliptic curves (no EC signer, no key agreement); add them with {@link #withEllipticCurves},
     * {@link #withKeyAgreementAlgorithms} and {@link #withKeyWrapAlgorithms}.
     *
     * @param digestAlgorithms digest OIDs a SignerInfo (and the hash and MGF1 hash of RSASSA-PSS parameters) may use
     * @param minRsaKeyBits    smallest RSA modulus of a signer, at least {@value #MIN_RSA_KEY_BITS}
     */
    public AlgorithmPolicy(Set<String> envelopeContentTypes, Set<String> contentCiphers, Set<String> keyTransportAlgorithms,
                           Set<String> signatureAlgorithms, int minGcmTagBytes, Set<String> digestAlgorithms,
                           int minRsaKeyBits) {
        this(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, Set.of(), Set.of(), Set.of());
    }

    private AlgorithmPolicy(Set<String> envelopeContentTypes, Set<String> contentCiphers, Set<String> keyTransportAlgorithms,
                            Set<String> signatureAlgorithms, int minGcmTagBytes, Set<String> digestAlgorithms,
                            int minRsaKeyBits, Set<String> ellipticCurves, Set<String> keyAgreementAlgorithms,
                            Set<String> keyWrapAlgorithms) {
        this.envelopeContentTypes = Set.copyOf(envelopeContentTypes);
        this.contentCiphers = Set.copyOf(contentCiphers);
        this.keyTransportAlgorithms = Set.copyOf(keyTransportAlgorithms);
        this.signatureAlgorithms = Set.copyOf(signatureAlgorithms);
        if (minGcmTagBytes < 16) {
            throw new IllegalArgumentException("GCM tags shorter than 128 bits are never accepted");
        }
        this.minGcmTagBytes = minGcmTagBytes;
        this.digestAlgorithms = Set.copyOf(digestAlgorithms);
        if (minRsaKeyBits < MIN_RSA_KEY_BITS) {
            throw new IllegalArgumentException("RSA signer keys shorter than " + MIN_RSA_KEY_BITS + " bits are never accepted");
        }
        this.minRsaKeyBits = minRsaKeyBits;
        this.ellipticCurves = Set.copyOf(ellipticCurves);
        this.keyAgreementAlgorithms = Set.copyOf(keyAgreementAlgorithms);
        this.keyWrapAlgorithms = Set.copyOf(keyWrapAlgorithms);
    }

    /**
     * KV-Connect (domain §6): EnvelopedData with AES-256-CBC and RSA PKCS#1 v1.5, SHA256withRSA signatures. AES-256-GCM,
     * OAEP, SHA-384/512 and RSASSA-PSS are accepted too, since they are strictly stronger. Signatures: SHA-256/384/512
     * digests only, RSA keys of at least 2048 bits.
     */
    public static AlgorithmPolicy kvConnect() {
        return new AlgorithmPolicy(Set.of(ENVELOPED_DATA, AUTH_ENVELOPED_DATA), Set.of(AES256_CBC, AES256_GCM),
                Set.of(RSA_PKCS1, RSA_OAEP), Set.of(SHA256_WITH_RSA, SHA384_WITH_RSA, SHA512_WITH_RSA, RSA_PKCS1, RSASSA_PSS),
                16);
    }

    /**
     * KIM (gemSMIME_KOMLE): only AuthEnvelopedData with AES-256-GCM (128-bit tag); RSAES-OAEP key transport, or ECDH
     * key agreement (dhSinglePass-stdDH with the X9.63 KDF over SHA-256, -384 or -512) with AES-256 key wrap for EC
     * keys of the newer TI cards; RSASSA-PSS signatures whose hash and MGF1 hash are SHA-256/384/512 with RSA keys of
     * at least 2048 bits, or ECDSA with SHA-256/384/512; EC keys only on the {@link #KIM_CURVES}.
     */
    public static AlgorithmPolicy kim() {
        return new AlgorithmPolicy(Set.of(AUTH_ENVELOPED_DATA), Set.of(AES256_GCM), Set.of(RSA_OAEP),
                Set.of(RSASSA_PSS, ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, ECDSA_WITH_SHA512), 16,
                STRONG_DIGESTS, MIN_RSA_KEY_BITS, KIM_CURVES, Set.of(ECDH_SHA256_KDF, ECDH_SHA384_KDF, ECDH_SHA512_KDF),
                Set.of(AES256_WRAP));
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

    /** Digest OIDs a signature may use (SignerInfo digestAlgorithm, RSASSA-PSS hash and MGF1 hash). */
    public Set<String> digestAlgorithms() {
        return digestAlgorithms;
    }

    /** Smallest RSA modulus, in bits, of a signer certificate's key. */
    public int minRsaKeyBits() {
        return minRsaKeyBits;
    }

    /**
     * Named curves (OIDs) an EC key may use: an ECDSA signer's, an EC recipient certificate's when writing, and the
     * originator key of a key agreement. Empty: EC keys are not accepted.
     */
    public Set<String> ellipticCurves() {
        return ellipticCurves;
    }

    /** Key agreement schemes (the keyEncryptionAlgorithm OIDs of a KeyAgreeRecipientInfo) accepted. */
    public Set<String> keyAgreementAlgorithms() {
        return keyAgreementAlgorithms;
    }

    /** Key wrap algorithms (the parameter of a key agreement scheme) accepted. */
    public Set<String> keyWrapAlgorithms() {
        return keyWrapAlgorithms;
    }

    public AlgorithmPolicy withEllipticCurves(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms,
                minGcmTagBytes, digestAlgorithms, minRsaKeyBits, oids, keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withKeyAgreementAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms,
                minGcmTagBytes, digestAlgorithms, minRsaKeyBits, ellipticCurves, oids, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withKeyWrapAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms,
                minGcmTagBytes, digestAlgorithms, minRsaKeyBits, ellipticCurves, keyAgreementAlgorithms, oids);
    }

    public AlgorithmPolicy withDigestAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms,
                minGcmTagBytes, oids, minRsaKeyBits, ellipticCurves, keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withMinRsaKeyBits(int bits) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms,
                minGcmTagBytes, digestAlgorithms, bits, ellipticCurves, keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withEnvelopeContentTypes(Set<String> oids) {
        return new AlgorithmPolicy(oids, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, ellipticCurves,
                keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withContentCiphers(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, oids, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, ellipticCurves,
                keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withKeyTransportAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, oids, signatureAlgorithms, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, ellipticCurves,
                keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    public AlgorithmPolicy withSignatureAlgorithms(Set<String> oids) {
        return new AlgorithmPolicy(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, oids, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, ellipticCurves,
                keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlgorithmPolicy p && envelopeContentTypes.equals(p.envelopeContentTypes)
               && contentCiphers.equals(p.contentCiphers) && keyTransportAlgorithms.equals(p.keyTransportAlgorithms)
               && signatureAlgorithms.equals(p.signatureAlgorithms) && minGcmTagBytes == p.minGcmTagBytes
               && digestAlgorithms.equals(p.digestAlgorithms) && minRsaKeyBits == p.minRsaKeyBits
               && ellipticCurves.equals(p.ellipticCurves) && keyAgreementAlgorithms.equals(p.keyAgreementAlgorithms)
               && keyWrapAlgorithms.equals(p.keyWrapAlgorithms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelopeContentTypes, contentCiphers, keyTransportAlgorithms, signatureAlgorithms, minGcmTagBytes,
                digestAlgorithms, minRsaKeyBits, ellipticCurves, keyAgreementAlgorithms, keyWrapAlgorithms);
    }

    @Override
    public String toString() {
        return "AlgorithmPolicy[envelopes=" + envelopeContentTypes + ", ciphers=" + contentCiphers + ", keyTransport="
               + keyTransportAlgorithms + ", signatures=" + signatureAlgorithms + ", minGcmTagBytes=" + minGcmTagBytes
               + ", digests=" + digestAlgorithms + ", minRsaKeyBits=" + minRsaKeyBits + ", curves=" + ellipticCurves
               + ", keyAgreement=" + keyAgreementAlgorithms + ", keyWrap=" + keyWrapAlgorithms + "]";
    }
}
