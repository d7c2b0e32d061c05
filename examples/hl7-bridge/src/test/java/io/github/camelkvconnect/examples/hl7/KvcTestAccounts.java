package io.github.camelkvconnect.examples.hl7;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * Ready KV-Connect accounts on a running emulator: password set, RSA key, certificate issued by the emulator's user
 * CA, PIN-protected PKCS#12 keystore; and the {@code kvconnect:} endpoint URIs for them.
 */
final class KvcTestAccounts {

    static final String PASSWORD = "Secret12AB";
    static final String PIN = "pin-4711";

    private final KvConnectEmulator emulator;
    private final Path dir;
    private final Path tlsAnchors;
    private final Path smimeAnchors;

    KvcTestAccounts(KvConnectEmulator emulator, Path dir) throws Exception {
        this.emulator = emulator;
        this.dir = dir;
        this.tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        this.smimeAnchors = Files.writeString(dir.resolve("smime-anchors.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
    }

    /** Creates the account with key, certificate and keystore; returns its address. */
    String create(String username) throws Exception {
        emulator.admin().createAccount(EmulatorAccount.ready(username, PASSWORD));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X509Certificate cert = emulator.admin().issueCertificate(username, keys.getPublic());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("kvconnect", keys.getPrivate(), PIN.toCharArray(),
                new X509Certificate[] { cert, emulator.userCaCertificate(), emulator.rootCaCertificate() });
        try (OutputStream out = Files.newOutputStream(dir.resolve(username + ".p12"))) {
            ks.store(out, PIN.toCharArray());
        }
        return address(username);
    }

    static String address(String username) {
        return username + "@" + EmulatorAccount.DOMAIN;
    }

    /** The endpoint URI of an account; {@code options} ("a=b&c=d") are appended. */
    String uri(String username, String stateName, String options) {
        return "kvconnect:" + address(username)
               + "?serverUrl=" + emulator.restBaseUri()
               + "&username=" + username
               + "&password=RAW(" + PASSWORD + ")"
               + "&keystoreFile=" + dir.resolve(username + ".p12")
               + "&keystorePassword=RAW(" + PIN + ")"
               + "&tlsTrustAnchors=" + tlsAnchors
               + "&smimeTrustAnchors=" + smimeAnchors
               + "&stateDirectory=" + dir.resolve("state-" + stateName)
               + (options.isEmpty() ? "" : "&" + options);
    }

    private static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }
}
