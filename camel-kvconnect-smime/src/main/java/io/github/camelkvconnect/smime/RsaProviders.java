package io.github.camelkvconnect.smime;

import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

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

    /**
     * What {@link RsaOperations} requests from a chosen provider, by the same names and with the same parameters: the
     * signature of both profiles, the verification of PKCS#1 v1.5 signatures with every digest the readers accept, and
     * the key transport of both profiles (encrypting to recipients, decrypting the own).
     */
    private static final List<RsaService> SERVICES = List.of(
            new RsaService("Signature SHA256withRSA", "signing (KVCONNECT profile) and verifying PKCS#1 v1.5 signatures",
                    (p, key) -> Signature.getInstance("SHA256withRSA", p).initVerify(key)),
            new RsaService("Signature SHA384withRSA", "verifying PKCS#1 v1.5 signatures with SHA-384",
                    (p, key) -> Signature.getInstance("SHA384withRSA", p).initVerify(key)),
            new RsaService("Signature SHA512withRSA", "verifying PKCS#1 v1.5 signatures with SHA-512",
                    (p, key) -> Signature.getInstance("SHA512withRSA", p).initVerify(key)),
            new RsaService("Signature RSASSA-PSS (SHA-256, MGF1 with SHA-256, 32 bytes salt)", "signing (KIM profile)",
                    (p, key) -> {
                        Signature pss = Signature.getInstance("RSASSA-PSS", p);
                        pss.setParameter(RsaOperations.PSS);
                        pss.initVerify(key);
                    }),
            new RsaService("Cipher RSA/ECB/PKCS1Padding", "RSAES-PKCS1-v1_5 key transport (KVCONNECT profile)",
                    (p, key) -> encryptsWith(Cipher.getInstance("RSA/ECB/PKCS1Padding", p), key, null)),
            new RsaService("Cipher RSA/ECB/OAEPPadding (SHA-256, MGF1 with SHA-256)", "RSAES-OAEP key transport (KIM profile)",
                    (p, key) -> encryptsWith(Cipher.getInstance("RSA/ECB/OAEPPadding", p), key, new OAEPParameterSpec(
                            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT))));

    /**
     * The public modulus of a throwaway RSA-2048 key whose private key was discarded when it was made. It only lets a
     * provider set up verification and encryption as it would for a certificate's key; nothing secret is involved.
     * A real modulus, not an arbitrary number: Bouncy Castle refuses moduli with small factors.
     */
    private static final BigInteger PROBE_MODULUS = new BigInteger(
            "9BBE9E301CF1067F7006264D09A909AF2F97CDA58101B63AE2CEC470E7F602DF"
            + "037A76C057E4C96772488732D79D824DDC2477FE97C2E37B5136E41830442905"
            + "4F194F5E6CD6D5FB4C6924168B84D7E36FD3AC825AAF8AD9E512C63D7531C4E8"
            + "A54EED9B93D1C715CD58A614520CA426B381160F3DAE8698B7E233D1F922EF68"
            + "CD00B0B5676F1A56E4BBDCC9402B7282B19585E3192F62340EAC9F2DF328B98B"
            + "E61DD50396CECC8FBF58390681BB160FFE0549775E5C189294FFE81FE26F87AA"
            + "884EB0713C3BC9F471335E30051BFB06A62347EDB9F87B98F196271486543072"
            + "C7882026D0E6A4218410225BCDE8A7D4DF598BD75F5E4962EAA4263DE6DFE313", 16);

    /** Providers that passed {@link #requireRsaServices(Provider)}: checked once per instance, not per message. */
    private static final List<WeakReference<Provider>> SUITABLE = new CopyOnWriteArrayList<>();

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
     * What {@link #AUTO} picks from the accelerated candidate: it, if it offers every RSA service used, else null (the
     * JVM's providers). {@code auto} never fails the start; a candidate lacking a service is skipped like an absent
     * one.
     */
    static Provider autoChoice(Optional<Provider> candidate) {
        return candidate.filter(p -> {
            try {
                requireRsaServices(p);
                return true;
            } catch (UnsuitableRsaProviderException e) {
                return false;
            }
        }).orElse(null);
    }

    /**
     * Resolves the value of the data format option {@code rsaProvider}: {@link #DEFAULT} (or empty) = null, i.e. the
     * JVM's providers; {@link #AUTO} = {@link #accelerated()} or null; otherwise the name of a provider registered
     * with {@link Security} or ACCP's name when ACCP is on the class path (it need not be registered).
     *
     * A provider found is checked with {@link #requireRsaServices(Provider)}, so a registered provider without RSA
     * (such as {@code SUN}) fails here, at the start, and not on the first message.
     *
     * @throws UnsuitableRsaProviderException the provider lacks an RSA service the writer or reader uses
     * @throws IllegalArgumentException       no such provider, or ACCP named but unusable
     */
    public static Provider resolve(String name) {
        if (name == null || name.isBlank() || name.strip().equalsIgnoreCase(DEFAULT)) {
            return null;
        }
        String n = name.strip();
        if (n.equalsIgnoreCase(AUTO)) {
            return autoChoice(accelerated());
        }
        Provider registered = Security.getProvider(n);
        if (registered != null) {
            return requireRsaServices(registered);
        }
        if (n.equalsIgnoreCase(ACCP_NAME) || n.equalsIgnoreCase("ACCP")) {
            return accelerated().map(RsaProviders::requireRsaServices).orElseThrow(() -> new IllegalArgumentException(
                    "rsaProvider " + n + ": the Amazon "
                    + "Corretto Crypto Provider is not on the class path or fails its self-test on this platform; add "
                    + "software.amazon.cryptools:AmazonCorrettoCryptoProvider (classifier of this OS/CPU) or use "
                    + DEFAULT));
        }
        throw new IllegalArgumentException("rsaProvider " + n + ": no such JCA provider is registered; use " + DEFAULT
                + ", " + AUTO + ", " + ACCP_NAME + " or the name of a provider added with java.security.Security");
    }

    /**
     * Checks that {@code provider} offers every RSA service the writer and the reader request from it, by the same JCA
     * names and with the same parameters: the signatures {@code SHA256withRSA}, {@code SHA384withRSA},
     * {@code SHA512withRSA} and {@code RSASSA-PSS} (SHA-256, MGF1 with SHA-256, 32 bytes salt), and the ciphers
     * {@code RSA/ECB/PKCS1Padding} and {@code RSA/ECB/OAEPPadding} (SHA-256, MGF1 with SHA-256). Each service is
     * instantiated and initialised with a fixed public key (verification, encryption), which also proves that the
     * provider accepts a certificate's RSA key from another provider. Private-key operations cannot be tried without a
     * private key; they use the same service names. A provider is checked once per instance (microseconds to a few
     * milliseconds); later calls return at once.
     *
     * @return {@code provider}
     * @throws UnsuitableRsaProviderException naming the provider and the first service it lacks
     */
    public static Provider requireRsaServices(Provider provider) {
        Objects.requireNonNull(provider, "provider");
        for (WeakReference<Provider> checked : SUITABLE) {
            if (checked.get() == provider) {
                return provider;
            }
        }
        PublicKey key = ProbeKey.KEY;
        for (RsaService s : SERVICES) {
            try {
                s.probe().run(provider, key);
            } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
                String name = provider.getName();
                // the cause's type keeps the message short (the cause is attached); the probe key is public anyway
                throw new UnsuitableRsaProviderException(name, s.service(), "rsaProvider " + name + ": the JCA provider "
                        + name + " does not offer " + s.service() + ", needed for " + s.purpose() + " ("
                        + e.getClass().getSimpleName() + "). The RSA operations request from the chosen provider: "
                        + SERVICES.stream().map(RsaService::service).collect(Collectors.joining(", ")) + ". Choose a "
                        + "provider that offers all of them, or " + DEFAULT + " (the JVM's providers and Bouncy Castle), "
                        + AUTO + " or " + ACCP_NAME, e);
            }
        }
        SUITABLE.removeIf(checked -> checked.get() == null);
        SUITABLE.add(new WeakReference<>(provider));
        return provider;
    }

    private static void encryptsWith(Cipher cipher, PublicKey key, OAEPParameterSpec oaep)
            throws GeneralSecurityException {
        if (oaep == null) {
            cipher.init(Cipher.ENCRYPT_MODE, key);
        } else {
            cipher.init(Cipher.ENCRYPT_MODE, key, oaep);
        }
        cipher.doFinal(new byte[32]); // an AES-256 content key's length; a public-key operation, cheap
    }

    /** One service a chosen provider must offer: JCA type and name (with parameters), what it is for, how to try it. */
    private record RsaService(String service, String purpose, Probe probe) {
    }

    @FunctionalInterface
    private interface Probe {
        void run(Provider provider, PublicKey key) throws GeneralSecurityException;
    }

    /** The probe key, made on first use (the JVM's own RSA key factory, as for a certificate's key). */
    private static final class ProbeKey {
        static final PublicKey KEY;

        static {
            try {
                KEY = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(PROBE_MODULUS, RSAKeyGenParameterSpec.F4));
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
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
