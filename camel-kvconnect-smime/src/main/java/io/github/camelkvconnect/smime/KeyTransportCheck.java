package io.github.camelkvconnect.smime;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Whether a key-transport RecipientInfo's algorithm, parameters included, is acceptable under a profile's
 * {@link AlgorithmPolicy} (catalogue R09). RSAES-OAEP is accepted only with a hash and an MGF1 hash from the policy's
 * {@link AlgorithmPolicy#digestAlgorithms() digests} (by default SHA-256/384/512: not SHA-1, which the RFC 4055 defaults
 * of absent parameters mean, nor an unknown hash) and with an empty label: KIM uses SHA-256 with MGF1-SHA-256 and no
 * label, and anything else is refused cleanly before a private-key operation.
 */
final class KeyTransportCheck {

    private KeyTransportCheck() {
    }

    /** Null if the entry's algorithm is acceptable, else why not (without secrets). */
    static String refusal(AlgorithmPolicy policy, AlgorithmIdentifier keyTransport) {
        String oid = keyTransport.getAlgorithm().getId();
        if (!policy.keyTransportAlgorithms().contains(oid)) {
            return "Key transport " + oid + " is not allowed by the profile; the sender uses another S/MIME profile";
        }
        if (!AlgorithmPolicy.RSA_OAEP.equals(oid)) {
            return null;
        }
        RSAESOAEPparams params;
        try {
            // absent parameters: the RFC 4055 defaults (SHA-1, MGF1 with SHA-1, empty label)
            params = keyTransport.getParameters() == null ? new RSAESOAEPparams()
                    : RSAESOAEPparams.getInstance(keyTransport.getParameters());
        } catch (RuntimeException e) {
            return "The RSA-OAEP parameters of the key transport are malformed";
        }
        String hash = params.getHashAlgorithm().getAlgorithm().getId();
        if (!policy.digestAlgorithms().contains(hash)) {
            return "RSA-OAEP with the hash " + hash + " is not allowed by the profile (allowed: "
                   + policy.digestAlgorithms() + "); ask the sender to use RSA-OAEP with SHA-256";
        }
        AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
        if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
            return "RSA-OAEP with the mask generation function " + mgf.getAlgorithm() + " is not allowed (only MGF1)";
        }
        String mgfHash;
        try {
            mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm().getId();
        } catch (RuntimeException e) {
            return "The RSA-OAEP MGF1 parameters of the key transport are malformed";
        }
        if (!policy.digestAlgorithms().contains(mgfHash)) {
            return "RSA-OAEP with MGF1 over " + mgfHash + " is not allowed by the profile (allowed: "
                   + policy.digestAlgorithms() + ")";
        }
        AlgorithmIdentifier label = params.getPSourceAlgorithm();
        try {
            if (!PKCSObjectIdentifiers.id_pSpecified.equals(label.getAlgorithm())
                || ASN1OctetString.getInstance(label.getParameters()).getOctets().length != 0) {
                return "RSA-OAEP with a label is not allowed (S/MIME uses an empty label)";
            }
        } catch (RuntimeException e) {
            return "The RSA-OAEP label parameters of the key transport are malformed";
        }
        return null;
    }
}
