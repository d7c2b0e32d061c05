package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.emulator.CsrProcessing;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * The KV-Connect server the practices talk to: by default an embedded emulator (real HTTPS, its own CAs, data kept in
 * {@code <data-dir>/emulator} so a restart finds accounts, certificates and waiting messages again), or a real server
 * named by {@code kvconnect.server-url}.
 */
final class DemoServer implements AutoCloseable {

    private final KvConnectEmulator emulator;
    private final String serverUrl;
    private final String tlsTrustAnchors;
    private final String smimeTrustAnchors;

    private DemoServer(KvConnectEmulator emulator, String serverUrl, String tlsTrustAnchors, String smimeTrustAnchors) {
        this.emulator = emulator;
        this.serverUrl = serverUrl;
        this.tlsTrustAnchors = tlsTrustAnchors;
        this.smimeTrustAnchors = smimeTrustAnchors;
    }

    static DemoServer start(DemoSettings settings) {
        if (!settings.embeddedEmulator()) {
            return new DemoServer(null, settings.serverUrl(), settings.tlsTrustAnchors(), settings.smimeTrustAnchors());
        }
        Path dataDir = settings.dataDir().resolve("emulator");
        KvConnectEmulator.Builder builder = KvConnectEmulator.builder().dataDir(dataDir)
                .restPort(settings.emulatorRestPort())
                // As on the real server, each status request shows the CSR one step further (received, at the CA,
                // issued, published, done): the demo shows the real flow, and it still takes well under a second.
                .csrProcessing(CsrProcessing.ONE_STEP_PER_POLL);
        for (Practice practice : settings.practices()) {
            // Skipped by the emulator when its data directory already has the account (a restart).
            builder.account(settings.emulatorAccount(practice));
        }
        KvConnectEmulator emulator = builder.start();
        try {
            Path trust = settings.dataDir().resolve("trust");
            Files.createDirectories(trust);
            Path tls = Files.writeString(trust.resolve("emulator-tls-ca.pem"), emulator.tlsCaCertificatePem());
            Path smime = Files.writeString(trust.resolve("emulator-smime-cas.pem"),
                    pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()), StandardCharsets.US_ASCII);
            return new DemoServer(emulator, emulator.restBaseUri().toString(), tls.toString(), smime.toString());
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            emulator.close();
            throw new DemoException("Cannot write the emulator's CA certificates to " + settings.dataDir().resolve("trust")
                                    + ": " + e.getMessage(), e);
        }
    }

    boolean embedded() {
        return emulator != null;
    }

    String serverUrl() {
        return serverUrl;
    }

    /** @return the emulator's data directory, or null for a real server */
    Path emulatorDataDir() {
        return emulator == null ? null : emulator.dataDir().orElse(null);
    }

    String tlsTrustAnchors() {
        return tlsTrustAnchors;
    }

    String smimeTrustAnchors() {
        return smimeTrustAnchors;
    }

    /** The account configuration of one practice, shared by its endpoints through the registry. */
    KvConnectConfiguration configurationFor(Practice practice) {
        KvConnectConfiguration c = new KvConnectConfiguration();
        c.setServerUrl(serverUrl);
        c.setUsername(practice.username());
        c.setPassword(practice.password());
        c.setKeystoreFile(practice.keystore().toString());
        c.setKeystorePassword(practice.pin());
        c.setTlsTrustAnchors(tlsTrustAnchors);
        c.setSmimeTrustAnchors(smimeTrustAnchors);
        c.setStateDirectory(practice.state().toString());
        c.setSendersystem("camel-kvconnect-demo;" + KvConnectDemo.VERSION);
        // The emulator answers CSR status requests immediately; a real CA may take minutes.
        c.setCsrPollInterval(embedded() ? 200 : 5000);
        return c;
    }

    private static String pem(X509Certificate certificate) throws CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }

    /** Stops the embedded emulator (idempotent); its data stays in the data directory. */
    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
