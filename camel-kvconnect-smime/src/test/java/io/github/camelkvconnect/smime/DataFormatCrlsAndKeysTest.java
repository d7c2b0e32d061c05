package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.keys.KeyStoreAccessException;
import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * The data format re-reads changed CRL files (a broken update fails unmarshal with a typed error instead of dropping the
 * check), and configured with a keystore it decrypts with the keys kept from earlier certificates too.
 */
class DataFormatCrlsAndKeysTest extends CamelTestSupport {

    private static final char[] PIN = "Geheim-4711".toCharArray();
    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    /** Bob's renewed key and certificate (another address only because TestPki caches users by address). */
    private static final SmimeCredentials BOB_NEW = PKI.user("bob.renewed@kv-safenet.de");

    @TempDir
    Path work;

    private KvConnectSmimeDataFormat format;

    @AfterEach
    void stopFormat() {
        if (format != null) {
            format.stop();
        }
    }

    private KvConnectSmimeDataFormat bobsFormat() {
        format = new KvConnectSmimeDataFormat();
        format.setTrustAnchors(PKI.anchors());
        format.setWorkDirectory(work.toString());
        format.setBodyType("BYTES");
        return format;
    }

    @Test
    void aChangedCrlFileIsUsedWithoutRestartAndABrokenOneFailsUnmarshalNamingIt() throws Exception {
        Path crl = writeCrl(work.resolve("user-ca.crl"), PKI.crl()); // current, revokes nobody yet
        KvConnectSmimeDataFormat bob = bobsFormat();
        bob.setCredentials(BOB);
        bob.setCrlFiles(" " + crl + " ,");
        bob.start();
        byte[] message = sendTo(BOB, "Befund");
        assertEquals("VALID", unmarshal(bob, message).getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));

        // the CA's next CRL lists alice; an explicit later modification time: coarse file system clocks
        FileTime first = Files.getLastModifiedTime(crl);
        writeCrl(crl, PKI.crl(ALICE.certificate()));
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 60_000));
        assertEquals("REVOKED", unmarshal(bob, message).getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));

        // a half-written update: unmarshal fails with a typed error naming the file, on every message until it is fixed
        Files.writeString(crl, "-----BEGIN X509 CRL-----\nMII");
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 120_000));
        for (int i = 0; i < 2; i++) {
            CrlFileException e = assertThrows(CrlFileException.class, () -> unmarshal(bob, message));
            assertEquals(crl, e.file());
            assertTrue(e.getMessage().contains(crl.toString()) && e.getMessage().contains("crlFiles"), e.getMessage());
        }

        writeCrl(crl, PKI.crl(ALICE.certificate()));
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 180_000));
        assertEquals("REVOKED", unmarshal(bob, message).getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
    }

    @Test
    void marshalRefusesARevokedRecipientOrOwnCertificateWithTheChangedCrlFile() throws Exception {
        Path crl = writeCrl(work.resolve("user-ca.crl"), PKI.crl()); // current, revokes nobody yet
        format = new KvConnectSmimeDataFormat();
        KvConnectSmimeDataFormat alice = format;
        alice.setTrustAnchors(PKI.anchors());
        alice.setWorkDirectory(work.toString());
        alice.setCredentials(ALICE);
        alice.setCertificateResolver(TestPki.resolver(ALICE, BOB));
        alice.setCrlFiles(crl.toString());
        alice.start();
        assertTrue(marshal(alice, "Befund").length > 0);

        // the CA's next CRL lists bob: nothing is written for him, the problem names his address
        FileTime first = Files.getLastModifiedTime(crl);
        writeCrl(crl, PKI.crl(BOB.certificate()));
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 60_000));
        CertificateProblemsException toBob = assertThrows(CertificateProblemsException.class, () -> marshal(alice, "Befund"));
        assertEquals(List.of("bob@kv-safenet.de"), List.copyOf(toBob.problems().keySet()));
        assertTrue(toBob.problems().get("bob@kv-safenet.de").contains("revoked"), toBob.getMessage());

        // alice's own certificate revoked: she could not read her own sent message, so nothing is written either
        writeCrl(crl, PKI.crl(ALICE.certificate()));
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 120_000));
        CertificateProblemsException own = assertThrows(CertificateProblemsException.class, () -> marshal(alice, "Befund"));
        assertTrue(own.problems().get("alice@kv-safenet.de").contains("own certificate")
                   && own.problems().get("alice@kv-safenet.de").contains("revoked"), own.getMessage());

        // a half-written update: marshal fails with the typed error naming the file, as unmarshal does
        Files.writeString(crl, "-----BEGIN X509 CRL-----\nMII");
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 180_000));
        CrlFileException broken = assertThrows(CrlFileException.class, () -> marshal(alice, "Befund"));
        assertEquals(crl, broken.file());
        assertTrue(broken.getMessage().contains("crlFiles"), broken.getMessage());

        // fixed with a CRL listing neither: marshal works again without a restart
        writeCrl(crl, PKI.crl());
        Files.setLastModifiedTime(crl, FileTime.fromMillis(first.toMillis() + 240_000));
        assertTrue(marshal(alice, "Befund").length > 0);
    }

    @Test
    void aMissingCrlFileFailsTheStart() {
        KvConnectSmimeDataFormat bob = bobsFormat();
        bob.setCredentials(BOB);
        Path missing = work.resolve("no-such.crl");
        bob.setCrlFiles(missing.toString());
        Throwable e = assertThrows(RuntimeException.class, bob::start);
        while (!(e instanceof CrlFileException) && e.getCause() != null) {
            e = e.getCause();
        }
        assertEquals(missing, ((CrlFileException) e).file());
    }

    @Test
    void withAKeystoreMailToTheCertificateBeforeTheRenewalIsDecrypted() throws Exception {
        PinProtectedKeyStore store = new PinProtectedKeyStore(work.resolve("bob.p12"));
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB.privateKey(), BOB.chain());
        byte[] beforeRenewal = sendTo(BOB, "vor der Erneuerung");
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_NEW.privateKey(), BOB_NEW.chain());
        byte[] afterRenewal = sendTo(BOB_NEW, "nach der Erneuerung");

        for (String alias : new String[] { null, PinProtectedKeyStore.DEFAULT_ALIAS }) {
            KvConnectSmimeDataFormat bob = bobsFormat();
            bob.useKeystore(store, PIN, alias);
            assertEquals(BOB_NEW.certificate(), bob.getCredentials().certificate(), "the current key comes first");
            assertEquals(List.of(BOB.certificate()), bob.getPreviousCredentials().stream().map(SmimeCredentials::certificate)
                    .toList());
            bob.start();
            assertTrue(body(unmarshal(bob, beforeRenewal)).contains("vor der Erneuerung"));
            assertTrue(body(unmarshal(bob, afterRenewal)).contains("nach der Erneuerung"));
            bob.stop();
        }

        // only the current key: the mail from before the renewal cannot be read
        KvConnectSmimeDataFormat currentOnly = bobsFormat();
        currentOnly.setCredentials(store.load(PIN));
        currentOnly.start();
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> unmarshal(currentOnly, beforeRenewal));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, e.reason());
    }

    /** Alice's message to bob; fails if nothing or only part of it was written. */
    private byte[] marshal(KvConnectSmimeDataFormat dataFormat, String text) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        headers("alice@kv-safenet.de", "bob@kv-safenet.de").forEach(exchange.getIn()::setHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            dataFormat.marshal(exchange, businessEntity(text), out);
        } catch (Exception e) {
            assertEquals(0, out.size(), "nothing written when marshal fails");
            throw e;
        }
        return out.toByteArray();
    }

    @Test
    void aCertificateRenewedInTheKeystoreFileIsUsedByTheNextMessageWithoutRestart() throws Exception {
        PinProtectedKeyStore store = new PinProtectedKeyStore(work.resolve("bob.p12"));
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB.privateKey(), BOB.chain());
        KvConnectSmimeDataFormat bob = bobsFormat();
        bob.setCertificateResolver(TestPki.resolver(ALICE));
        bob.useKeystore(store, PIN, null);
        bob.start();
        byte[] toOld = sendTo(BOB, "an das alte Zertifikat");
        assertTrue(body(unmarshal(bob, toOld)).contains("an das alte Zertifikat"));
        assertEquals(BOB.certificate(), signerOf(marshalFrom(bob, "bob@kv-safenet.de")));
        byte[] toNew = sendTo(BOB_NEW, "an das neue Zertifikat");
        SmimeDecryptionException notYet = assertThrows(SmimeDecryptionException.class, () -> unmarshal(bob, toNew));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, notYet.reason());

        // the renewal is saved into the file (the old key is kept under a previous- alias): no restart
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_NEW.privateKey(), BOB_NEW.chain());
        assertTrue(body(unmarshal(bob, toNew)).contains("an das neue Zertifikat"));
        assertTrue(body(unmarshal(bob, toOld)).contains("an das alte Zertifikat"), "the kept key still decrypts");
        assertEquals(BOB_NEW.certificate(), bob.getCredentials().certificate());
        // marshal signs with the new key too
        assertEquals(BOB_NEW.certificate(), signerOf(marshalFrom(bob, "bob.renewed@kv-safenet.de")));

        // a replaced file that does not open: a typed error naming the file (never the PIN) until it is fixed
        Path good = Files.copy(store.path(), work.resolve("bob.p12.good"));
        Files.write(store.path(), "kein Keystore".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 2; i++) {
            KeyStoreAccessException e = assertThrows(KeyStoreAccessException.class, () -> unmarshal(bob, toNew));
            assertTrue(e.getMessage().contains(store.path().toString()) && !e.getMessage().contains(new String(PIN)),
                    e.getMessage());
            assertThrows(KeyStoreAccessException.class, () -> marshalFrom(bob, "bob.renewed@kv-safenet.de"));
        }
        Files.copy(good, store.path(), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(body(unmarshal(bob, toNew)).contains("an das neue Zertifikat"));
    }

    /** A message from {@code from} to alice, marshalled by {@code dataFormat}. */
    private byte[] marshalFrom(KvConnectSmimeDataFormat dataFormat, String from) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        headers(from, "alice@kv-safenet.de").forEach(exchange.getIn()::setHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dataFormat.marshal(exchange, businessEntity("Antwort"), out);
        return out.toByteArray();
    }

    /** The signer certificate of a message to alice, which must verify. */
    private static X509Certificate signerOf(byte[] toAlice) throws Exception {
        SmimeReader reader = SmimeReader.builder().credentials(ALICE).trustAnchors(PKI.anchors()).build();
        try (DecryptedMessage message = reader.read(new ByteArrayInputStream(toAlice))) {
            assertEquals(VerificationStatus.VALID, message.verification().status(), message.verification().detail());
            return message.verification().signer();
        }
    }

    private Exchange unmarshal(KvConnectSmimeDataFormat dataFormat, byte[] transport) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(dataFormat.unmarshal(exchange, new ByteArrayInputStream(transport)));
        return exchange;
    }

    private static String body(Exchange exchange) {
        assertEquals("VALID", exchange.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS));
        return new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    private static byte[] sendTo(SmimeCredentials recipient, String text) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(address -> List.of(
                recipient.certificate())).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity(text), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }

    private static Path writeCrl(Path file, X509CRL crl) throws Exception {
        return Files.write(file, crl.getEncoded());
    }
}
