package io.github.camelkvconnect.smime;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The elliptic-curve operations of the KIM profile, the counterpart of {@link RsaOperations} for the ECC keys of the
 * newer TI smartcards (SMC-B/HBA G2.1, brainpoolP256r1): ECDSA signing and verification, and ECDH key agreement in a
 * KeyAgreeRecipientInfo (RFC 5753: ephemeral-static dhSinglePass-stdDH with the X9.63 KDF over SHA-256, content key
 * wrapped with AES-256 key wrap), written and read.
 * <p>
 * Everything runs on Bouncy Castle ({@link CertificateChecks#BC}), never on the {@code rsaProvider}, which is for RSA
 * only: the JDK 17 provider no longer computes on brainpool curves. The one exception is the signature with a private
 * key that has no encoding (held by a hardware provider): the JVM then picks the key's own provider. ECDH with such a
 * key is not supported (decryption needs a software key).
 */
final class EcOperations {

    /** The signature written with an EC key: ecdsa-with-SHA256 (the curves of the profile are 256 bits and more). */
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private EcOperations() {
    }

    /** ECDSA with SHA-256 over the content (SignerInfo signatureAlgorithm ecdsa-with-SHA256). */
    static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM);
        if (key.getEncoded() != null) {
            // a software key: Bouncy Castle, which knows every curve of the profile
            builder.setProvider(CertificateChecks.BC);
        }
        return builder.build(key);
    }

    /** Verifies an ECDSA SignerInfo with the signer's public key on Bouncy Castle (tables shared with RSA). */
    static SignerInformationVerifier verifier(PublicKey key) throws OperatorCreationException {
        return RsaOperations.verifierOn(CertificateChecks.BC, key);
    }

    /**
     * A KeyAgreeRecipientInfo for one EC recipient certificate: a fresh ephemeral key pair on the recipient's curve
     * (never reused across recipients or messages), ECDH with the X9.63 KDF over SHA-256, AES-256 key wrap; the
     * recipient named by issuer and serial number as in the RSA entries.
     */
    static RecipientInfoGenerator recipientInfo(X509Certificate certificate) throws GeneralSecurityException {
        // parsed by Bouncy Castle, so that the key is one it can compute with whichever provider parsed the original
        X509Certificate recipient;
        try {
            recipient = new JcaX509CertificateConverter().setProvider(CertificateChecks.BC)
                    .getCertificate(new JcaX509CertificateHolder(certificate));
        } catch (java.security.cert.CertificateException e) {
            throw new GeneralSecurityException("the recipient certificate cannot be read", e);
        }
        String curve = EcKeys.curveOf(recipient.getPublicKey());
        if (curve == null) {
            throw new GeneralSecurityException("the recipient's EC key names no curve");
        }
        String name = ECNamedCurveTable.getName(new ASN1ObjectIdentifier(curve));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CertificateChecks.BC);
        generator.initialize(new ECGenParameterSpec(name != null ? name : curve));
        KeyPair ephemeral = generator.generateKeyPair();
        return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).setProvider(CertificateChecks.BC).addRecipient(recipient);
    }

    /** Opens a KeyAgreeRecipientInfo of AuthEnvelopedData (AES-GCM content on Bouncy Castle) with our EC key. */
    static Recipient authEnvelopedRecipient(PrivateKey key) {
        return new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(CertificateChecks.BC);
    }

    /** Opens a KeyAgreeRecipientInfo of EnvelopedData with our EC key; the content cipher on {@code contentProvider}. */
    static Recipient envelopedRecipient(PrivateKey key, Provider contentProvider) {
        JceKeyAgreeEnvelopedRecipient r = new JceKeyAgreeEnvelopedRecipient(key);
        // setProvider sets the content provider too; the content provider is set after it on purpose
        r.setProvider(CertificateChecks.BC);
        if (contentProvider != null) {
            r.setContentProvider(contentProvider);
        }
        return r;
    }

    /**
     * Null if {@code policy} allows the KeyAgreeRecipientInfo's scheme, key wrap and originator key, else why not (a
     * sentence for the user, no secrets). The originator key must be an ephemeral EC key (originatorKey); its curve,
     * when named, must be one of the policy's (absent parameters mean the recipient's curve, RFC 5753).
     */
    static String refusal(AlgorithmPolicy policy, KeyAgreeRecipientInformation r) {
        String scheme = r.getKeyEncryptionAlgOID();
        if (!policy.keyAgreementAlgorithms().contains(scheme)) {
            return "Key agreement " + scheme + " is not allowed by the profile";
        }
        String wrap;
        try {
            wrap = AlgorithmIdentifier.getInstance(r.getKeyEncryptionAlgorithm().getParameters()).getAlgorithm().getId();
        } catch (RuntimeException e) {
            return "The key wrap algorithm of the key agreement cannot be read";
        }
        if (!policy.keyWrapAlgorithms().contains(wrap)) {
            return "Key wrap " + wrap + " is not allowed by the profile";
        }
        OriginatorPublicKey originator;
        try {
            originator = r.getOriginator().getOriginatorKey();
        } catch (RuntimeException e) {
            originator = null;
        }
        if (originator == null) {
            return "The key agreement does not carry the sender's ephemeral public key (originatorKey); only "
                   + "ephemeral-static ECDH is supported";
        }
        AlgorithmIdentifier algorithm = originator.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            return "The key agreement's originator key is not an EC key (" + algorithm.getAlgorithm() + ")";
        }
        ASN1Encodable params = algorithm.getParameters();
        if (params != null && !(params instanceof ASN1Null)) {
            String curve = EcKeys.curveOf(algorithm);
            if (curve == null || !policy.ellipticCurves().contains(curve)) {
                return "The key agreement's originator key is on " + EcKeys.describe(curve)
                       + ", which the profile does not allow (allowed: " + EcKeys.describe(policy.ellipticCurves()) + ")";
            }
        }
        return null;
    }
}
