package io.github.camelkvconnect.smime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The own key material of one KV-Connect (or KIM) account: the private key and its certificate chain,
 * leaf first. Used to sign outgoing messages and to decrypt incoming ones.
 * <p>
 * Instances are usually loaded from a PIN-protected PKCS#12 keystore (see
 * {@code io.github.camelkvconnect.smime.keys.PinProtectedKeyStore}). {@link #toString()} never reveals
 * key material.
 */
public final class SmimeCredentials {

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    /**
     * @param privateKey the account's private key
     * @param chain      the certificate chain, leaf (the account's own certificate) first; must not be empty
     */
    public SmimeCredentials(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("The certificate chain must contain at least the account's own certificate");
        }
        this.chain = List.copyOf(chain);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The account's own certificate (the first element of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate chain, leaf first (unmodifiable). */
    public List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public String toString() {
        return "SmimeCredentials[subject=" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
