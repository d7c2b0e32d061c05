package io.github.camelkvconnect.smime;

import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * What kind of key a key is and which named curve an EC key lies on, read from the key's standard encoding
 * (SubjectPublicKeyInfo): that works for the keys of every provider, including a JDK that parses a certificate's
 * brainpool key into a generic key object it cannot compute with.
 */
final class EcKeys {

    private EcKeys() {
    }

    /** True for an EC public key (id-ecPublicKey), whichever provider made the object. */
    static boolean isEc(PublicKey key) {
        if (key instanceof ECKey) {
            return true;
        }
        AlgorithmIdentifier algorithm = algorithmOf(key);
        return algorithm != null && X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm());
    }

    /** True for an EC private key (also one held by a hardware provider, which has no encoding). */
    static boolean isEc(Key key) {
        if (key instanceof PublicKey pub) {
            return isEc(pub);
        }
        String algorithm = key.getAlgorithm() == null ? "" : key.getAlgorithm().toUpperCase(Locale.ROOT);
        return key instanceof ECKey || algorithm.equals("EC") || algorithm.equals("ECDSA") || algorithm.equals("ECDH");
    }

    /** The OID of the named curve of an EC public key; null if the key names no curve (explicit or implicit parameters). */
    static String curveOf(PublicKey key) {
        AlgorithmIdentifier algorithm = algorithmOf(key);
        return algorithm == null ? null : curveOf(algorithm);
    }

    /** The named curve in the parameters of an id-ecPublicKey AlgorithmIdentifier; null if absent or explicit. */
    static String curveOf(AlgorithmIdentifier algorithm) {
        return algorithm.getParameters() instanceof ASN1ObjectIdentifier oid ? oid.getId() : null;
    }

    /** "brainpoolP256r1 (1.3.36.3.3.2.8.1.1.7)" for messages; the bare OID for a curve Bouncy Castle does not name. */
    static String describe(String curveOid) {
        if (curveOid == null) {
            return "a curve given by explicit parameters";
        }
        String name;
        try {
            name = ECNamedCurveTable.getName(new ASN1ObjectIdentifier(curveOid));
        } catch (IllegalArgumentException e) {
            name = null;
        }
        return name == null ? curveOid : name + " (" + curveOid + ")";
    }

    /** The curves of a policy by name, for messages. */
    static String describe(Collection<String> curveOids) {
        return curveOids.stream().map(EcKeys::describe).sorted().collect(Collectors.joining(", "));
    }

    /**
     * Null if the EC public key lies on one of {@code allowed}, else why not ({@code whose}: "the signer's EC key",
     * "certificate key", ...).
     */
    static String curveProblem(PublicKey key, Collection<String> allowed, String whose) {
        String curve = curveOf(key);
        if (curve == null || !allowed.contains(curve)) {
            return whose + " is on " + describe(curve) + ", which the profile does not allow (allowed: "
                   + (allowed.isEmpty() ? "no elliptic curves" : describe(allowed)) + ")";
        }
        return null;
    }

    private static AlgorithmIdentifier algorithmOf(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            return null;
        }
        try {
            return SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
