package io.github.camelkvconnect.smime;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Chooses the JCA provider for the RSA operations of {@link SmimeWriter} and {@link SmimeReader} (see
 * {@link SmimeWriter.Builder#rsaProvider(Provider)}). The JVM's own RSA is Java {@code BigInteger} arithmetic, about a
 * fifth of OpenSSL's speed; one private-key operation per message (the signature, resp. the key unwrap) bounds the
 * messages per second. A provider backed by native code, such as the Amazon Corretto Crypto Provider (ACCP, AWS-LC),
 * does the same operations at OpenSSL's speed. ACCP is an optional dependency: nothing here needs it at compile time.
 */
public final class RsaProviders {

    /** Value of the data format option {@code rsaProvider}: the JVM's providers, as without the option. */
    public static final String DEFAULT = "default";
    /** Value of the data format option {@code rsaProvider}: ACCP if it is on the class path and passes the self-test. */
    public static final String AUTO = "auto";

    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";

    private static volatile Optional<Provider> accelerated;

    private RsaProviders() {
    }

    /**
     * The Amazon Corretto Crypto Provider if it is on the class path, its native library loaded, its own health check
     * passes and it does exactly the RSA operations the profiles need (PKCS#1 v1.5 and PSS signatures, PKCS#1 v1.5 and
     * OAEP-SHA256 key transport) interoperably with the JVM's implementation; empty otherwise. The check runs once per
     * JVM (one RSA-2048 key generation, a few milliseconds natively).
     */
    public static Optional<Provider> accelerated() {
        Optional<Provider> result = accelerated;
        if (result == null) {
            result = loadAccp().filter(RsaProviders::selfTestPasses);
            accelerated = result;
        }
        return result;
    }

    /**
     * Resolves the value of the data format option {@code rsaProvider}: {@link #DEFAULT} (or empty) = null, i.e. the
     * JVM's providers; {@link #AUTO} = {@link #accelerated()} or null; otherwise the name of a provider registered
     * with {@link Security} or ACCP's name when ACCP is on the class path (it need not be registered).
     *
     * @throws IllegalArgumentException no such provider, or ACCP named but unusable
     */
    public static Provider resolve(String name) {
        if (name == null || name.isBlank() || name.strip().equalsIgnoreCase(DEFAULT)) {
            return null;
        }
        String n = name.strip();
        if (n.equalsIgnoreCase(AUTO)) {
            return accelerated().orElse(null);
        }
        Provider registered = Security.getProvider(n);
        if (registered != null) {
            return registered;
        }
        if (n.equalsIgnoreCase(ACCP_NAME) || n.equalsIgnoreCase("ACCP")) {
            return accelerated().orElseThrow(() -> new IllegalArgumentException("rsaProvider " + n + ": the Amazon "
                    + "Corretto Crypto Provider is not on the class path or fails its self-test on this platform; add "
                    + "software.amazon.cryptools:AmazonCorrettoCryptoProvider (classifier of this OS/CPU) or use "
                    + DEFAULT));
        }
        throw new IllegalArgumentException("rsaProvider " + n + ": no such JCA provider is registered; use " + DEFAULT
                + ", " + AUTO + ", " + ACCP_NAME + " or the name of a provider added with java.security.Security");
    }

    private static Optional<Provider> loadAccp() {
        try {
            Class<?> type = Class.forName(ACCP_CLASS, true, RsaProviders.class.getClassLoader());
            Provider p = (Provider) type.getField("INSTANCE").get(null);
            // ACCP's own check: native library loaded and its self-tests passed; throws otherwise
            type.getMethod("assertHealthy").invoke(p);
            return Optional.of(p);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The operations the profiles use, each checked against the JVM's own implementation in the other direction. */
    static boolean selfTestPasses(Provider p) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", p);
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            byte[] data = "camel-kvconnect self-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

            Signature sign = Signature.getInstance("SHA256withRSA", p);
            sign.initSign(keys.getPrivate());
            sign.update(data);
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(keys.getPublic());
            verify.update(data);
            boolean pkcs1 = verify.verify(sign.sign());

            Signature pssSign = Signature.getInstance("RSASSA-PSS", p);
            pssSign.setParameter(RsaOperations.PSS);
            pssSign.initSign(keys.getPrivate());
            pssSign.update(data);
            Signature pssVerify = Signature.getInstance("RSASSA-PSS");
            pssVerify.setParameter(RsaOperations.PSS);
            pssVerify.initVerify(keys.getPublic());
            pssVerify.update(data);
            boolean pss = pssVerify.verify(pssSign.sign());

            OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                    PSource.PSpecified.DEFAULT);
            Cipher jvmEncrypt = Cipher.getInstance("RSA/ECB/OAEPPadding");
            jvmEncrypt.init(Cipher.ENCRYPT_MODE, keys.getPublic(), oaep);
            Cipher decrypt = Cipher.getInstance("RSA/ECB/OAEPPadding", p);
            decrypt.init(Cipher.DECRYPT_MODE, keys.getPrivate(), oaep);
            boolean oaepOk = Arrays.equals(data, decrypt.doFinal(jvmEncrypt.doFinal(data)));

            Cipher jvmPkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            jvmPkcs1.init(Cipher.ENCRYPT_MODE, keys.getPublic());
            Cipher pkcs1Decrypt = Cipher.getInstance("RSA/ECB/PKCS1Padding", p);
            pkcs1Decrypt.init(Cipher.DECRYPT_MODE, keys.getPrivate());
            boolean pkcs1Ok = Arrays.equals(data, pkcs1Decrypt.doFinal(jvmPkcs1.doFinal(data)));
            return pkcs1 && pss && oaepOk && pkcs1Ok;
        } catch (java.security.GeneralSecurityException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
