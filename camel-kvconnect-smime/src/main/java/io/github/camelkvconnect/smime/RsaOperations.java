package io.github.camelkvconnect.smime;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;
import org.bouncycastle.operator.AsymmetricKeyWrapper;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OperatorException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JceAsymmetricKeyWrapper;

/**
 * The RSA operations of one writer or reader: signing, key transport (wrap and unwrap) and signature verification.
 * <p>
 * Without a chosen provider everything is exactly as before: SHA256withRSA signing on the JVM's default for the key
 * (a key of a hardware provider finds its own), everything else on Bouncy Castle.
 * <p>
 * With a chosen provider the RSA primitives run there, called with the standard JCA names and explicit parameters:
 * {@code SHA256withRSA}, {@code RSASSA-PSS} with {@link PSSParameterSpec}, {@code RSA/ECB/PKCS1Padding} and
 * {@code RSA/ECB/OAEPPadding} with {@link OAEPParameterSpec}. Bouncy Castle's own provider adapters are bypassed on
 * purpose: they look up algorithm names such as {@code SHA256WITHRSASSA-PSS} and {@code AlgorithmParameters} that
 * other providers lack, and for OAEP silently fall back to the provider's default parameters (SHA-1), which would
 * change the bytes on the wire. The algorithm identifiers written are the ones Bouncy Castle writes, so the wire format
 * does not depend on the provider. Verifying RSASSA-PSS signatures (a cheap public-key operation) stays on Bouncy
 * Castle.
 */
final class RsaOperations {

    /** KIM's RSASSA-PSS: SHA-256, MGF1 with SHA-256, 32 bytes of salt. */
    static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    static final RsaOperations DEFAULTS = new RsaOperations(null);

    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha224, "SHA-224",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private static final AlgorithmIdentifier RSA_PKCS1 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

    private final Provider provider;

    private RsaOperations(Provider provider) {
        this.provider = provider;
    }

    /** Operations on {@code provider}; null means the defaults. */
    static RsaOperations on(Provider provider) {
        return provider == null ? DEFAULTS : new RsaOperations(provider);
    }

    /** SHA256withRSA (PKCS#1 v1.5) when {@code pss} is null, else SHA-256 RSASSA-PSS with these parameters. */
    ContentSigner signer(PrivateKey key, PSSParameterSpec pss) throws OperatorCreationException {
        if (pss == null) {
            JcaContentSignerBuilder builder = new JcaContentSignerBuilder("SHA256withRSA");
            if (provider != null) {
                builder.setProvider(provider);
            }
            // default: the JVM's RSA, about as fast as BC's on OpenJDK, and a key held by a hardware provider finds its own
            return builder.build(key);
        }
        if (provider == null) {
            return new JcaContentSignerBuilder("SHA256withRSAandMGF1", pss).setProvider(CertificateChecks.BC).build(key);
        }
        try {
            Signature signature = Signature.getInstance("RSASSA-PSS", provider);
            signature.setParameter(pss);
            signature.initSign(key);
            return new JcaSignatureSigner(signature, pssIdentifier(pss));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OperatorCreationException("RSASSA-PSS is not available for this key on " + provider.getName()
                                                + ": " + e.getMessage(), e);
        }
    }

    /** The AlgorithmIdentifier Bouncy Castle writes for RSASSA-PSS (digest parameters as explicit NULL). */
    static AlgorithmIdentifier pssIdentifier(PSSParameterSpec pss) {
        AlgorithmIdentifier digest = new AlgorithmIdentifier(digestOid(pss.getDigestAlgorithm()), DERNull.INSTANCE);
        AlgorithmIdentifier mgfDigest = new AlgorithmIdentifier(
                digestOid(((MGF1ParameterSpec) pss.getMGFParameters()).getDigestAlgorithm()), DERNull.INSTANCE);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(digest,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, mgfDigest),
                new org.bouncycastle.asn1.ASN1Integer(pss.getSaltLength()),
                new org.bouncycastle.asn1.ASN1Integer(pss.getTrailerField())));
    }

    private static ASN1ObjectIdentifier digestOid(String name) {
        return DIGESTS.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(name)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unsupported digest " + name));
    }

    /** A RecipientInfo for {@code certificate}: PKCS#1 v1.5 key transport if {@code keyTransport} is null, else that (OAEP). */
    KeyTransRecipientInfoGenerator recipientInfo(X509Certificate certificate, AlgorithmIdentifier keyTransport)
            throws CertificateEncodingException {
        // what JceKeyTransRecipientInfoGenerator(certificate, ...) builds, without parsing the whole certificate into a
        // Bouncy Castle holder per recipient and message just to read its issuer and serial number
        IssuerAndSerialNumber id = issuerAndSerialNumber(certificate);
        if (provider == null) {
            JceAsymmetricKeyWrapper wrapper = keyTransport == null ? new JceAsymmetricKeyWrapper(certificate.getPublicKey())
                    : new JceAsymmetricKeyWrapper(keyTransport, certificate.getPublicKey());
            return new RecipientInfoGenerator(id, wrapper.setProvider(CertificateChecks.BC));
        }
        AlgorithmIdentifier algorithm = keyTransport == null ? RSA_PKCS1 : keyTransport;
        return new RecipientInfoGenerator(id, new Wrapper(algorithm, certificate.getPublicKey(), provider));
    }

    /**
     * The certificate's issuer (its encoded name, as in the certificate) and serial number: the RecipientIdentifier
     * {@code new IssuerAndSerialNumber(certificateHolder.toASN1Structure())} gives.
     */
    static IssuerAndSerialNumber issuerAndSerialNumber(X509Certificate certificate) {
        return new IssuerAndSerialNumber(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()),
                certificate.getSerialNumber());
    }

    /** A key-transport RecipientInfo for an issuer and serial number (Bouncy Castle's constructor is protected). */
    private static final class RecipientInfoGenerator extends KeyTransRecipientInfoGenerator {
        RecipientInfoGenerator(IssuerAndSerialNumber id, AsymmetricKeyWrapper wrapper) {
            super(id, wrapper);
        }
    }

    /** Decrypts EnvelopedData content for {@code key}: key unwrap here, AES-CBC content on {@code contentProvider}. */
    JceKeyTransRecipient envelopedRecipient(PrivateKey key, Provider contentProvider) {
        JceKeyTransRecipient r = provider == null ? new JceKeyTransEnvelopedRecipient(key)
                : new JceKeyTransEnvelopedRecipient(key) {
                    @Override
                    protected Key extractSecretKey(AlgorithmIdentifier keyAlg, AlgorithmIdentifier contentAlg,
                                                   byte[] encryptedKey) throws CMSException {
                        return unwrap(key, keyAlg, contentAlg, encryptedKey);
                    }
                };
        // setProvider sets the content provider too; the content provider is set after it on purpose
        r.setProvider(CertificateChecks.BC);
        if (contentProvider != null) {
            r.setContentProvider(contentProvider);
        }
        return r;
    }

    /** Decrypts AuthEnvelopedData (AES-GCM on Bouncy Castle) for {@code key}. */
    JceKeyTransRecipient authEnvelopedRecipient(PrivateKey key) {
        JceKeyTransRecipient r = provider == null ? new JceKeyTransAuthEnvelopedRecipient(key)
                : new JceKeyTransAuthEnvelopedRecipient(key) {
                    @Override
                    protected Key extractSecretKey(AlgorithmIdentifier keyAlg, AlgorithmIdentifier contentAlg,
                                                   byte[] encryptedKey) throws CMSException {
                        return unwrap(key, keyAlg, contentAlg, encryptedKey);
                    }
                };
        return r.setProvider(CertificateChecks.BC);
    }

    /** Verifies a signer's signature with its public key; RSASSA-PSS always on Bouncy Castle. */
    SignerInformationVerifier verifier(PublicKey key, String signatureAlgorithmOid) throws OperatorCreationException {
        boolean pss = PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(signatureAlgorithmOid);
        return verifierOn(provider == null || pss ? CertificateChecks.BC : provider, key);
    }

    /**
     * What {@code JcaSimpleSignerInfoVerifierBuilder.setProvider(provider).build(key)} makes, with the name tables built
     * once instead of per message (building them was a tenth of verifying a 1 KiB message); both are only read after
     * construction. For any key type (ECDSA too).
     */
    static SignerInformationVerifier verifierOn(Provider provider, PublicKey key) throws OperatorCreationException {
        return new SignerInformationVerifier(SIGNATURE_NAMES, SIGNATURE_IDENTIFIERS,
                new JcaContentVerifierProviderBuilder().setProvider(provider).build(key), BulkCrypto.digests());
    }

    private static final org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator SIGNATURE_NAMES =
            new org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator();
    private static final org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder SIGNATURE_IDENTIFIERS =
            new org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder();

    /** The content-encryption key from a key-transport RecipientInfo, decrypted by the chosen provider. */
    private Key unwrap(PrivateKey key, AlgorithmIdentifier keyAlg, AlgorithmIdentifier contentAlg, byte[] encryptedKey)
            throws CMSException {
        int expected = aesKeyBytes(contentAlg.getAlgorithm());
        byte[] cek;
        try {
            Cipher cipher = keyTransportCipher(keyAlg);
            AlgorithmParameterSpec params = oaepParameters(keyAlg);
            if (params == null) {
                cipher.init(Cipher.DECRYPT_MODE, key);
            } else {
                cipher.init(Cipher.DECRYPT_MODE, key, params);
            }
            cek = cipher.doFinal(encryptedKey);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CMSException("exception unwrapping key: " + e.getClass().getSimpleName(), e);
        }
        if (cek.length != expected) {
            java.util.Arrays.fill(cek, (byte) 0);
            throw new CMSException("exception unwrapping key: content key of the wrong length for the content cipher");
        }
        return new SecretKeySpec(cek, "AES");
    }

    private Cipher keyTransportCipher(AlgorithmIdentifier keyAlg) throws GeneralSecurityException {
        ASN1ObjectIdentifier oid = keyAlg.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return Cipher.getInstance("RSA/ECB/PKCS1Padding", provider);
        }
        if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(oid)) {
            return Cipher.getInstance("RSA/ECB/OAEPPadding", provider);
        }
        throw new java.security.NoSuchAlgorithmException("key transport " + oid + " is not RSA");
    }

    /** The OAEP parameters of the AlgorithmIdentifier (absent fields take the RFC 4055 defaults: SHA-1), else null. */
    static OAEPParameterSpec oaepParameters(AlgorithmIdentifier keyAlg) throws GeneralSecurityException {
        if (!PKCSObjectIdentifiers.id_RSAES_OAEP.equals(keyAlg.getAlgorithm())) {
            return null;
        }
        RSAESOAEPparams p = RSAESOAEPparams.getInstance(keyAlg.getParameters());
        String hash = DIGESTS.get(p.getHashAlgorithm().getAlgorithm());
        if (!PKCSObjectIdentifiers.id_mgf1.equals(p.getMaskGenAlgorithm().getAlgorithm())) {
            throw new java.security.InvalidAlgorithmParameterException("OAEP mask generation other than MGF1");
        }
        String mgfHash = DIGESTS.get(AlgorithmIdentifier.getInstance(p.getMaskGenAlgorithm().getParameters()).getAlgorithm());
        if (hash == null || mgfHash == null) {
            throw new java.security.InvalidAlgorithmParameterException("unsupported OAEP digest");
        }
        byte[] label = ASN1OctetString.getInstance(p.getPSourceAlgorithm().getParameters()).getOctets();
        return new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(mgfHash), new PSource.PSpecified(label));
    }

    private static int aesKeyBytes(ASN1ObjectIdentifier content) throws CMSException {
        if (NISTObjectIdentifiers.id_aes256_CBC.equals(content) || NISTObjectIdentifiers.id_aes256_GCM.equals(content)) {
            return 32;
        }
        if (NISTObjectIdentifiers.id_aes192_CBC.equals(content) || NISTObjectIdentifiers.id_aes192_GCM.equals(content)) {
            return 24;
        }
        if (NISTObjectIdentifiers.id_aes128_CBC.equals(content) || NISTObjectIdentifiers.id_aes128_GCM.equals(content)) {
            return 16;
        }
        throw new CMSException("content cipher " + content + " is not AES");
    }

    /** Encrypts the content key to a recipient's public key on the chosen provider. */
    private static final class Wrapper extends AsymmetricKeyWrapper {
        private final PublicKey key;
        private final Provider provider;

        Wrapper(AlgorithmIdentifier algorithm, PublicKey key, Provider provider) {
            super(algorithm);
            this.key = key;
            this.provider = provider;
        }

        @Override
        public byte[] generateWrappedKey(GenericKey contentKey) throws OperatorException {
            Object representation = contentKey.getRepresentation();
            byte[] raw = representation instanceof Key k ? k.getEncoded()
                    : representation instanceof byte[] b ? b : null;
            if (raw == null) {
                throw new OperatorException("the content key cannot be encoded");
            }
            try {
                AlgorithmIdentifier algorithm = getAlgorithmIdentifier();
                OAEPParameterSpec oaep = oaepParameters(algorithm);
                Cipher cipher = Cipher.getInstance(oaep == null ? "RSA/ECB/PKCS1Padding" : "RSA/ECB/OAEPPadding", provider);
                if (oaep == null) {
                    cipher.init(Cipher.ENCRYPT_MODE, key);
                } else {
                    cipher.init(Cipher.ENCRYPT_MODE, key, oaep);
                }
                return cipher.doFinal(raw);
            } catch (GeneralSecurityException e) {
                throw new OperatorException("cannot wrap the content key: " + e.getMessage(), e);
            }
        }
    }

    /** A ContentSigner over an initialised {@link Signature}. */
    private static final class JcaSignatureSigner implements ContentSigner {
        private final Signature signature;
        private final AlgorithmIdentifier algorithm;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    signature.update(b, off, len);
                } catch (java.security.SignatureException e) {
                    throw new RuntimeOperatorException("cannot update the signature: " + e.getMessage(), e);
                }
            }
        };

        JcaSignatureSigner(Signature signature, AlgorithmIdentifier algorithm) {
            this.signature = signature;
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public byte[] getSignature() {
            try {
                return signature.sign();
            } catch (java.security.SignatureException e) {
                throw new RuntimeOperatorException("cannot create the signature: " + e.getMessage(), e);
            }
        }
    }
}
