package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.multipartSigned;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revocation: a signer listed in a configured CRL of its CA is REVOKED; without CRLs nothing changes. */
class RevocationTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials CAROL = PKI.user("carol@kv-safenet.de");

    @TempDir
    Path work;

    private VerificationResult receive(Collection<X509CRL> crls) throws Exception {
        byte[] msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                multipartSigned(toBytes(businessEntity("Befund")), ALICE, true), BOB.certificate());
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).crls(crls)
                .workDirectory(work).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(msg))) {
            return m.verification();
        }
    }

    @Test
    void aRevokedSignerIsReportedRevoked() throws Exception {
        VerificationResult v = receive(List.of(PKI.crl(CAROL.certificate(), ALICE.certificate())));
        assertEquals(VerificationStatus.REVOKED, v.status(), v.detail());
        assertEquals("alice@kv-safenet.de", v.signerAddress());
    }

    @Test
    void withoutCrlsOrWithACrlNotListingTheSignerItIsValid() throws Exception {
        assertEquals(VerificationStatus.VALID, receive(List.of()).status());
        // the CRL covers the user CA only; the user CA itself (issued by the root, no root CRL) is not checked
        VerificationResult v = receive(List.of(PKI.crl(CAROL.certificate())));
        assertEquals(VerificationStatus.VALID, v.status(), v.detail());
    }

    private static byte[] send(Collection<X509CRL> crls) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).crls(crls).build();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writer.write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }

    @Test
    void aRevokedRecipientIsNotEncryptedTo() throws Exception {
        assertTrue(send(List.of()).length > 0, "without CRLs the recipient is usable");
        assertTrue(send(List.of(PKI.crl(CAROL.certificate()))).length > 0, "a CRL not listing bob");
        CertificateProblemsException e = assertThrows(CertificateProblemsException.class,
                () -> send(List.of(PKI.crl(BOB.certificate()))));
        assertEquals(List.of("bob@kv-safenet.de"), List.copyOf(e.problems().keySet()));
        assertTrue(e.problems().get("bob@kv-safenet.de").contains("revoked"), e.getMessage());
    }

    @Test
    void aRevokedOwnCertificateCannotSend() throws Exception {
        CertificateProblemsException e = assertThrows(CertificateProblemsException.class,
                () -> send(List.of(PKI.crl(ALICE.certificate()))));
        assertEquals(List.of("alice@kv-safenet.de"), List.copyOf(e.problems().keySet()));
        assertTrue(e.problems().get("alice@kv-safenet.de").contains("revoked"), e.getMessage());
    }

    @Test
    void aWriterChecksARecipientAgainWhenItsCrlBecomesCurrent() throws Exception {
        // the writer remembers accepted paths; with CRLs it must not, or a later revocation would never be seen
        Instant now = Instant.now();
        X509CRL future = PKI.crl(PKI.userCaPrivateKey(), now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                BOB.certificate());
        MovableClock clock = new MovableClock();
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).crls(List.of(future)).clock(clock).build();
        writer.write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                java.io.OutputStream.nullOutputStream());
        clock.now = now.plus(Duration.ofHours(2));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CertificateProblemsException e = assertThrows(CertificateProblemsException.class, () -> writer.write(
                businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out));
        assertTrue(e.problems().get("bob@kv-safenet.de").contains("revoked"), e.getMessage());
        assertEquals(0, out.size(), "nothing written");
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends java.time.Clock {
        private volatile Instant now = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aPathAcceptedBeforeTheCrlBecameCurrentIsCheckedAgain() throws Exception {
        // the reader remembers accepted certificate paths; with CRLs it must not, or a revocation published later
        // would never be seen by the same reader
        Instant now = Instant.now();
        X509CRL future = PKI.crl(PKI.userCaPrivateKey(), now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                ALICE.certificate());
        MovableClock clock = new MovableClock();
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).crls(List.of(future))
                .clock(clock).workDirectory(work).build();
        byte[] msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                multipartSigned(toBytes(businessEntity("Befund")), ALICE, true), BOB.certificate());
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), "the CRL is not current yet");
        }
        clock.now = now.plus(Duration.ofHours(2));
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.REVOKED, m.verification().status(), m.verification().detail());
        }
    }

    @Test
    void aForgedCrlDoesNotRevoke() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Instant now = Instant.now();
        X509CRL forged = PKI.crl(g.generateKeyPair().getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(7)), ALICE.certificate());
        VerificationResult v = receive(List.of(forged));
        assertEquals(VerificationStatus.VALID, v.status(), v.detail());
    }

    @Test
    void dataFormatReadsTheConfiguredCrlFiles() throws Exception {
        Path pem = work.resolve("user-ca.pem");
        Files.writeString(pem, "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder().encodeToString(
                PKI.crl(ALICE.certificate()).getEncoded()) + "\n-----END X509 CRL-----\n", StandardCharsets.US_ASCII);
        byte[] msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                multipartSigned(toBytes(businessEntity("Befund")), ALICE, true), BOB.certificate());
        KvConnectSmimeDataFormat format = new KvConnectSmimeDataFormat();
        format.setCredentials(BOB);
        format.setTrustAnchors(PKI.anchors());
        format.setCrlFiles(pem.toString());
        format.setBodyType("BYTES");
        format.setWorkDirectory(work.toString());
        try (var context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.start();
            format.start();
            var exchange = new org.apache.camel.support.DefaultExchange(context);
            format.unmarshal(exchange, new ByteArrayInputStream(msg));
            assertEquals("REVOKED", exchange.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
            format.stop();
        }
        Files.delete(pem);
    }

    @Test
    void aCrlReplacedByAMoveIsReadEvenWithTheSameSizeAndModificationTime() throws Exception {
        Path file = work.resolve("user-ca.crl");
        X509CRL first = PKI.crl(ALICE.certificate());
        X509CRL second = PKI.crl(BOB.certificate());
        assertEquals(first.getEncoded().length, second.getEncoded().length, "test needs CRLs of equal size");
        Files.write(file, first.getEncoded());
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        CrlFiles crls = CrlFiles.of(List.of(file));
        assertEquals(List.of(first), crls.current());
        // the next CRL is written beside it and moved over it (as an atomic update does), keeping the old time
        Path next = work.resolve("user-ca.crl.new");
        Files.write(next, second.getEncoded());
        Files.setLastModifiedTime(next, modified);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.readAttributes(file,
                java.nio.file.attribute.BasicFileAttributes.class).fileKey() != null, "platform without file keys");
        assertEquals(List.of(second), crls.current());
        Files.delete(file);
    }

    @Test
    void aBrokenCrlFileFailsWithAFreshExceptionEachTime() throws Exception {
        Path file = work.resolve("broken.crl");
        Files.writeString(file, "not a CRL", StandardCharsets.US_ASCII);
        CrlFiles crls = CrlFiles.of(List.of(file));
        CrlFileException a = assertThrows(CrlFileException.class, crls::current);
        CrlFileException b = assertThrows(CrlFileException.class, crls::current);
        assertTrue(a != b, "the same exception object would collect every caller's suppressed exceptions");
        assertEquals(a.getMessage(), b.getMessage());
        assertEquals(file, b.file());
        Files.delete(file);
    }

    @Test
    void crlsAreReadFromPemAndDerFiles() throws Exception {
        X509CRL crl = PKI.crl(ALICE.certificate());
        Path der = work.resolve("user-ca.crl");
        Files.write(der, crl.getEncoded());
        Path pem = work.resolve("user-ca.pem");
        Files.writeString(pem, "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder().encodeToString(crl.getEncoded())
                               + "\n-----END X509 CRL-----\n", StandardCharsets.US_ASCII);
        assertEquals(List.of(crl, crl), Crls.read(List.of(der, pem)));
        assertEquals(VerificationStatus.REVOKED, receive(Crls.read(List.of(pem))).status());
        Files.delete(der);
        Files.delete(pem);

        Path missing = work.resolve("none.crl");
        CrlFileException e = assertThrows(CrlFileException.class, () -> Crls.read(List.of(missing)));
        assertEquals(missing, e.file());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path garbage = work.resolve("garbage.crl");
        Files.writeString(garbage, "not a CRL");
        e = assertThrows(CrlFileException.class, () -> Crls.read(List.of(garbage)));
        assertEquals(garbage, e.file());
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
        Files.delete(garbage);
        // other I/O problems (here: a directory) are typed and name the file as well
        Path directory = Files.createDirectories(work.resolve("crl-directory"));
        e = assertThrows(CrlFileException.class, () -> Crls.read(List.of(directory)));
        assertEquals(directory, e.file());
        assertTrue(e.getMessage().startsWith("CRL file " + directory + " cannot be read"), e.getMessage());
        Files.delete(directory);
    }

    @Test
    void crlFileListsAreSplitAtCommasStrippedAndEmptyEntriesSkipped() {
        assertEquals(List.of(Path.of("/etc/kvc/user-ca.crl"), Path.of("root ca.crl")),
                Crls.paths(" /etc/kvc/user-ca.crl ,, root ca.crl , "));
        assertEquals(List.of(), Crls.paths(null));
        assertEquals(List.of(), Crls.paths(""));
        assertEquals(List.of(), Crls.paths(" , \t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crls.paths("a.crl,bad\0.crl"));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
    }
}
