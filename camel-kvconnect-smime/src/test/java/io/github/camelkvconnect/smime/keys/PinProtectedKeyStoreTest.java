package io.github.camelkvconnect.smime.keys;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.camelkvconnect.smime.SmimeCredentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PinProtectedKeyStoreTest {

    private static final String PIN = "Geheim-4711";

    private static KeyPair ca;
    private static X509Certificate caCert;
    private static KeyPair user;
    private static KeyPair other;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        ca = KeyPairFactory.generateRsa();
        user = KeyPairFactory.generateRsa();
        other = KeyPairFactory.generateRsa();
        caCert = certificate("CN=Test CA", ca, "CN=Test CA", ca);
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys)
            throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), subjectKeys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    @Test
    void savedKeystoreLoadsBackOwnerOnlyAndOpensslReadsIt() throws Exception {
        X509Certificate leaf = certificate("CN=user", user, "CN=Test CA", ca);
        Path file = dir.resolve("ks.p12");
        PinProtectedKeyStore store = new PinProtectedKeyStore(file);
        store.save(PIN.toCharArray(), "me", user.getPrivate(), List.of(leaf, caCert));

        SmimeCredentials loaded = store.load(PIN.toCharArray());
        assertArrayEquals(user.getPrivate().getEncoded(), loaded.privateKey().getEncoded());
        assertEquals(List.of(leaf, caCert), loaded.chain());
        assertEquals(leaf, store.load(PIN.toCharArray(), "me").certificate());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file may be left behind");
        }
        String info = openssl("pkcs12", "-in", file.toString(), "-passin", "pass:" + PIN, "-nodes", "-info");
        assertTrue(info.contains("PBES2") && info.contains("AES-256-CBC"), info);
        assertTrue(info.contains("BEGIN PRIVATE KEY"), "openssl must decrypt the key");
        assertTrue(info.contains("MAC: sha256, Iteration 10000"), info);
        assertTrue(info.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256"), info);
    }

    @Test
    void fingerprintChangesWithTheSavedContentOnly() throws Exception {
        Path file = dir.resolve("fp.p12");
        PinProtectedKeyStore store = new PinProtectedKeyStore(file);
        assertEquals("none", store.fingerprint());
        store.save(PIN.toCharArray(), "me", user.getPrivate(), List.of(certificate("CN=user", user, "CN=Test CA", ca)));
        String first = store.fingerprint();
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, store.fingerprint(), "an unchanged file keeps its fingerprint");
        // a renewal: another key and certificate saved under the same alias
        store.save(PIN.toCharArray(), "me", other.getPrivate(), List.of(certificate("CN=user", other, "CN=Test CA", ca)));
        assertFalse(first.equals(store.fingerprint()));
    }

    @Test
    void wrongPinGivesTypedErrorWithoutThePin() throws Exception {
        Path file = dir.resolve("ks.p12");
        PinProtectedKeyStore store = new PinProtectedKeyStore(file);
        store.save(PIN.toCharArray(), "me", user.getPrivate(), List.of(certificate("CN=user", user, "CN=Test CA", ca)));
        KeyStoreAccessException e = assertThrows(KeyStoreAccessException.class,
                () -> store.load("falsch-0000".toCharArray()));
        assertTrue(e.getMessage().contains("wrong PIN or damaged keystore " + file), e.getMessage());
        assertFalse(e.getMessage().contains("falsch-0000"));
        assertFalse(e.getMessage().contains(PIN));
    }

    @Test
    void missingFileAndTrustedCertOnlyKeystoreGiveClearErrors() throws Exception {
        KeyStoreAccessException missing = assertThrows(KeyStoreAccessException.class,
                () -> new PinProtectedKeyStore(dir.resolve("none.p12")).load(PIN.toCharArray()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        KeyStore trustOnly = KeyStore.getInstance("PKCS12");
        trustOnly.load(null, null);
        trustOnly.setCertificateEntry("ca", caCert);
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trustOnly.store(out, PIN.toCharArray());
        }
        KeyStoreAccessException noKey = assertThrows(KeyStoreAccessException.class,
                () -> new PinProtectedKeyStore(file).load(PIN.toCharArray()));
        assertTrue(noKey.getMessage().contains("contains no private key entry"), noKey.getMessage());
    }

    @Test
    void pendingKeyCsrAndInstallationOfTheIssuedCertificate() throws Exception {
        Path file = dir.resolve("account.p12");
        PinProtectedKeyStore store = new PinProtectedKeyStore(file);
        String csrPem = store.createPendingKey(PIN.toCharArray(), "praxis-mueller");

        // the pending key is persisted at once
        SmimeCredentials pending = store.load(PIN.toCharArray(), PinProtectedKeyStore.PENDING_ALIAS);
        assertTrue(pending.certificate().getSubjectX500Principal().getName().contains("PENDING"));

        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new java.io.StringReader(csrPem))) {
            csr = (PKCS10CertificationRequest) parser.readObject();
        }
        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo())));
        assertEquals(1, csr.getSubject().getRDNs().length);
        assertEquals(BCStyle.UNIQUE_IDENTIFIER, csr.getSubject().getRDNs()[0].getFirst().getType());
        assertEquals("2.5.4.45", BCStyle.UNIQUE_IDENTIFIER.getId());
        RSAPublicKey csrKey = (RSAPublicKey) new JcaPKCS10CertificationRequest(csr).getPublicKey();
        assertEquals(2048, csrKey.getModulus().bitLength());
        assertArrayEquals(pending.certificate().getPublicKey().getEncoded(), csrKey.getEncoded());

        Path csrFile = dir.resolve("csr.pem");
        Files.writeString(csrFile, csrPem);
        String verify = openssl("req", "-in", csrFile.toString(), "-noout", "-verify", "-subject");
        assertTrue(verify.contains("x500UniqueIdentifier") && verify.contains("praxis-mueller"), verify);

        // a certificate for another key is refused and the pending key stays
        X509Certificate wrong = certificate("CN=other", other, "CN=Test CA", ca);
        KeyStoreAccessException e = assertThrows(KeyStoreAccessException.class,
                () -> store.installIssuedCertificate(PIN.toCharArray(), wrong, null));
        assertTrue(e.getMessage().contains("does not belong to this key"), e.getMessage());
        store.load(PIN.toCharArray(), PinProtectedKeyStore.PENDING_ALIAS);

        X509Certificate issued = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Test CA"), BigInteger.TEN, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(30))), csr.getSubject(), csrKey)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.getPrivate())));
        String caPem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(caCert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        SmimeCredentials installed = store.installIssuedCertificate(PIN.toCharArray(), issued, caPem);
        assertEquals(List.of(issued, caCert), installed.chain());
        SmimeCredentials reloaded = store.load(PIN.toCharArray());
        assertEquals(issued, reloaded.certificate());
        assertArrayEquals(pending.privateKey().getEncoded(), reloaded.privateKey().getEncoded());
    }

    @Test
    void keySizesUsernamesAndExpiry() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> KeyPairFactory.generateRsa(1024));
        assertThrows(IllegalArgumentException.class, () -> CsrFactory.createPem("a/b=c", user));
        assertThrows(IllegalArgumentException.class, () -> CsrFactory.createPem("", user));
        X509Certificate cert = certificate("CN=user", user, "CN=Test CA", ca); // valid 30 days
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        assertTrue(CertificateExpiry.expiresWithin(cert, Duration.ofDays(31), now));
        assertFalse(CertificateExpiry.expiresWithin(cert, Duration.ofDays(29), now));
    }

    private static String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("openssl is required for this interoperability test but could not be started: " + e.getMessage());
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("openssl " + args[0] + " failed: " + output);
        }
        return output;
    }
}
