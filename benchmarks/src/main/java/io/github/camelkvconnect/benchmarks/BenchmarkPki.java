package io.github.camelkvconnect.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.TestPki;

/**
 * A throwaway KV-Connect shaped PKI (Root CA, User CA, sender Alice and recipient Bob, RSA-2048), generated at start by
 * the smime module's {@link TestPki}, and the same keys and certificates as PEM files, so that openssl works with
 * exactly the key material the project uses.
 */
final class BenchmarkPki {

    static final String SENDER = "alice@kv-safenet.de";
    static final String RECIPIENT = "bob@kv-safenet.de";

    final TestPki pki;
    final SmimeCredentials alice;
    final SmimeCredentials bob;
    /** root.pem, userca.pem, alice.pem/.key, bob.pem/.key */
    final Path pemDirectory;

    private BenchmarkPki(TestPki pki, SmimeCredentials alice, SmimeCredentials bob, Path pemDirectory) {
        this.pki = pki;
        this.alice = alice;
        this.bob = bob;
        this.pemDirectory = pemDirectory;
    }

    static BenchmarkPki create(Path directory) throws IOException {
        TestPki pki = TestPki.shared();
        SmimeCredentials alice = pki.user(SENDER);
        SmimeCredentials bob = pki.user(RECIPIENT);
        Path dir = Files.createDirectories(directory);
        certificate(dir.resolve("root.pem"), pki.rootCertificate());
        certificate(dir.resolve("userca.pem"), pki.userCaCertificate());
        certificate(dir.resolve("alice.pem"), alice.certificate());
        certificate(dir.resolve("bob.pem"), bob.certificate());
        privateKey(dir.resolve("alice.key"), alice.privateKey().getEncoded());
        privateKey(dir.resolve("bob.key"), bob.privateKey().getEncoded());
        return new BenchmarkPki(pki, alice, bob, dir);
    }

    Path pem(String name) {
        return pemDirectory.resolve(name);
    }

    List<X509Certificate> anchors() {
        return pki.anchors();
    }

    private static void certificate(Path file, X509Certificate certificate) throws IOException {
        try {
            Files.writeString(file, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the generated certificate cannot be encoded", e);
        }
    }

    /** Unencrypted PKCS#8, readable by the owner only (it is a throwaway key, but still a key). */
    private static void privateKey(Path file, byte[] pkcs8) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem("PRIVATE KEY", pkcs8), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }
}
