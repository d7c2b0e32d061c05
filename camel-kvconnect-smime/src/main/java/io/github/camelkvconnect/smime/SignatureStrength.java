package io.github.camelkvconnect.smime;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.SignerInformation;

/**
 * Whether a SignerInfo's algorithms are strong enough for a profile's {@link AlgorithmPolicy}: the signature algorithm,
 * the digest algorithm (an MD5 or SHA-1 SignerInfo names plain rsaEncryption as its signature algorithm, so the
 * signature OID alone says nothing), the RSASSA-PSS hash and MGF1 hash, and the signer's RSA key size; for ECDSA the
 * hash of the signature algorithm and the signer key's curve. Checked before the signature itself, so a weak signature
 * is never reported VALID however correct it is.
 */
final class SignatureStrength {

    /** The hash each ECDSA signature algorithm implies. */
    private static final Map<String, String> ECDSA_HASHES = Map.of(
            AlgorithmPolicy.ECDSA_WITH_SHA256, AlgorithmPolicy.SHA256,
            AlgorithmPolicy.ECDSA_WITH_SHA384, AlgorithmPolicy.SHA384,
            AlgorithmPolicy.ECDSA_WITH_SHA512, AlgorithmPolicy.SHA512);

    private SignatureStrength() {
    }

    /** Null if the SignerInfo and signer key satisfy the policy, else why not (no secrets). */
    static String problem(AlgorithmPolicy policy, SignerInformation si, PublicKey signerKey) {
        String signature = si.getEncryptionAlgOID();
        if (!policy.signatureAlgorithms().contains(signature)) {
            return "signature algorithm " + signature + " is not allowed by the profile";
        }
        String digest = si.getDigestAlgOID();
        if (!policy.digestAlgorithms().contains(digest)) {
            return "digest algorithm " + digest + " is not allowed by the profile (SHA-256, SHA-384 or SHA-512 required)";
        }
        if (AlgorithmPolicy.RSASSA_PSS.equals(signature)) {
            String pss = pssProblem(policy, si.getEncryptionAlgParams(), digest);
            if (pss != null) {
                return pss;
            }
        }
        if (ECDSA_HASHES.containsKey(signature)) {
            return ecdsaProblem(policy, signature, digest, signerKey);
        }
        if (!(signerKey instanceof RSAPublicKey rsa)) {
            return "the signer key is not RSA (" + signerKey.getAlgorithm() + ")";
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < policy.minRsaKeyBits()) {
            return "the signer's RSA key has " + bits + " bits; at least " + policy.minRsaKeyBits() + " are required";
        }
        return null;
    }

    /** ECDSA: an EC signer key on an allowed curve, and a signature hash equal to the SignerInfo digest. */
    private static String ecdsaProblem(AlgorithmPolicy policy, String signature, String digest, PublicKey signerKey) {
        String hash = ECDSA_HASHES.get(signature);
        if (!hash.equals(digest)) {
            return "ECDSA signature hash " + hash + " differs from the SignerInfo digest algorithm " + digest;
        }
        if (!EcKeys.isEc(signerKey)) {
            return "the signature algorithm is ECDSA but the signer key is not EC (" + signerKey.getAlgorithm() + ")";
        }
        return EcKeys.curveProblem(signerKey, policy.ellipticCurves(), "the signer's EC key");
    }

    /** RSASSA-PSS parameters: absent parameters mean SHA-1 (RFC 4055), so they are refused like explicit SHA-1. */
    private static String pssProblem(AlgorithmPolicy policy, byte[] encodedParams, String digest) {
        RSASSAPSSparams params;
        try {
            params = encodedParams == null ? new RSASSAPSSparams() : RSASSAPSSparams.getInstance(encodedParams);
        } catch (RuntimeException e) {
            return "the RSASSA-PSS parameters cannot be read";
        }
        String hash = params.getHashAlgorithm().getAlgorithm().getId();
        if (!policy.digestAlgorithms().contains(hash)) {
            return "RSASSA-PSS digest algorithm " + hash + " is not allowed by the profile";
        }
        if (!hash.equals(digest)) {
            return "RSASSA-PSS hash " + hash + " differs from the SignerInfo digest algorithm " + digest;
        }
        AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
        if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
            return "RSASSA-PSS mask generation function " + mgf.getAlgorithm() + " is not MGF1";
        }
        ASN1Encodable mgfParams = mgf.getParameters();
        ASN1ObjectIdentifier mgfHash;
        try {
            mgfHash = mgfParams == null ? null : AlgorithmIdentifier.getInstance(mgfParams).getAlgorithm();
        } catch (RuntimeException e) {
            mgfHash = null;
        }
        if (mgfHash == null || !policy.digestAlgorithms().contains(mgfHash.getId())) {
            return "RSASSA-PSS MGF1 hash " + (mgfHash == null ? "(unreadable)" : mgfHash.getId())
                   + " is not allowed by the profile";
        }
        return null;
    }
}
