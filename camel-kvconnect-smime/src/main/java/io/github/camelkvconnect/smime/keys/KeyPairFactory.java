package io.github.camelkvconnect.smime.keys;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Generates RSA key pairs for KV-Connect/KIM accounts: 2048 bits by default, 3072 and 4096 allowed. */
public final class KeyPairFactory {

    /** Default RSA modulus size in bits. */
    public static final int DEFAULT_RSA_BITS = 2048;

    private KeyPairFactory() {
    }

    /** Generates an RSA-2048 key pair. */
    public static KeyPair generateRsa() {
        return generateRsa(DEFAULT_RSA_BITS);
    }

    /**
     * @param bits 2048, 3072 or 4096
     * @throws IllegalArgumentException for any other size
     */
    public static KeyPair generateRsa(int bits) {
        if (bits != 2048 && bits != 3072 && bits != 4096) {
            throw new IllegalArgumentException("Unsupported RSA key size " + bits + "; use 2048, 3072 or 4096");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, new SecureRandom());
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
    }
}
