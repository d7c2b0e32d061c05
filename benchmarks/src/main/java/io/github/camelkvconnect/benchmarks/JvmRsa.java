package io.github.camelkvconnect.benchmarks;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Duration;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JVM's own RSA-2048 private-key rate (SHA256withRSA over 1 KiB), for the providers the JVM offers: the ceiling for
 * any Java S/MIME implementation's messages per second, to read next to {@code openssl speed rsa2048}.
 */
final class JvmRsa {

    private JvmRsa() {
    }

    /** Bouncy Castle, which camel-kvconnect-smime uses for every operation. */
    static Measure.Rate bouncyCastle(PrivateKey key, Duration warmup, Duration window) throws Exception {
        return signRate(key, new BouncyCastleProvider(), warmup, window);
    }

    /** The JDK's default provider for SHA256withRSA (SunRsaSign on OpenJDK). */
    static Measure.Rate jdkDefault(PrivateKey key, Duration warmup, Duration window) throws Exception {
        return signRate(key, null, warmup, window);
    }

    /** A chosen provider, e.g. the Amazon Corretto Crypto Provider of the rsaProvider option. */
    static Measure.Rate on(Provider provider, PrivateKey key, Duration warmup, Duration window) throws Exception {
        return signRate(key, provider, warmup, window);
    }

    static String jdkDefaultProviderName(PrivateKey key) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        return s.getProvider().getName();
    }

    private static Measure.Rate signRate(PrivateKey key, Provider provider, Duration warmup, Duration window) throws Exception {
        Signature s = provider == null ? Signature.getInstance("SHA256withRSA") : Signature.getInstance("SHA256withRSA", provider);
        byte[] data = new byte[1024];
        return Measure.rate(warmup, warmup, window, Measure.Cpu.SELF, () -> {
            s.initSign(key);
            s.update(data);
            s.sign();
        });
    }
}
