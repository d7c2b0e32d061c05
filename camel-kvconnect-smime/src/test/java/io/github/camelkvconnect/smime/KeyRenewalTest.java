package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.mail.Multipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * Mail encrypted to the old certificate, still in flight or waiting on the server when the account renews, must stay
 * readable: the keystore keeps the old key, and the reader picks the key whose certificate a RecipientInfo names.
 */
class KeyRenewalTest {

    private static final char[] PIN = "Geheim-4711".toCharArray();
    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB_OLD = PKI.user("bob@kv-safenet.de");
    /** Bob's renewed key and certificate (another address only because TestPki caches users by address). */
    private static final SmimeCredentials BOB_NEW = PKI.user("bob.renewed@kv-safenet.de");

    @TempDir
    Path dir;

    private static byte[] sendTo(SmimeCredentials recipient) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(address -> List.of(
                recipient.certificate())).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund vor der Erneuerung"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }

    @Test
    void aMessageToTheOldCertificateIsDecryptedAfterRenewal() throws Exception {
        PinProtectedKeyStore store = new PinProtectedKeyStore(dir.resolve("bob.p12"));
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_OLD.privateKey(), BOB_OLD.chain());
        byte[] inFlight = sendTo(BOB_OLD);

        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_NEW.privateKey(), BOB_NEW.chain());
        assertEquals(BOB_NEW.certificate(), store.load(PIN).certificate(), "the renewed key is the current one");
        List<SmimeCredentials> all = store.loadAll(PIN);
        assertEquals(List.of(BOB_NEW.certificate(), BOB_OLD.certificate()), all.stream().map(SmimeCredentials::certificate)
                .toList());
        assertArrayEquals(BOB_OLD.privateKey().getEncoded(), all.get(1).privateKey().getEncoded());

        SmimeReader reader = SmimeReader.builder().credentials(store.load(PIN)).previousCredentials(all)
                .trustAnchors(PKI.anchors()).workDirectory(dir).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(inFlight))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("Befund vor der Erneuerung", ((Multipart) m.businessEntity().getContent()).getBodyPart(0).getContent());
        }
        // new mail uses the new key
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(sendTo(BOB_NEW)))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
        // without the previous keys the old message is lost
        SmimeReader currentOnly = SmimeReader.builder().credentials(store.load(PIN)).trustAnchors(PKI.anchors())
                .workDirectory(dir).build();
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, assertThrows(SmimeDecryptionException.class,
                () -> currentOnly.read(new ByteArrayInputStream(inFlight))).reason());
    }

    @Test
    void aPendingRequestKeepsTheCurrentKeyAndPruningRemovesOnlyLongExpiredOldKeys() throws Exception {
        PinProtectedKeyStore store = new PinProtectedKeyStore(dir.resolve("bob.p12"));
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_OLD.privateKey(), BOB_OLD.chain());
        store.createPendingKey(PIN, "bob");
        assertEquals(BOB_OLD.certificate(), store.load(PIN).certificate(), "the current key stays while a request is pending");
        assertEquals(1, store.loadAll(PIN).size(), "the pending key (no certificate yet) is not a decryption key");

        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_NEW.privateKey(), BOB_NEW.chain());
        Instant oldExpiry = BOB_OLD.certificate().getNotAfter().toInstant();
        assertEquals(List.of(), store.removePreviousKeys(PIN, oldExpiry), "not yet expired at that instant");
        assertEquals(2, store.loadAll(PIN).size());
        List<String> removed = store.removePreviousKeys(PIN, oldExpiry.plusSeconds(1));
        assertEquals(1, removed.size());
        assertTrue(removed.get(0).startsWith(PinProtectedKeyStore.PREVIOUS_ALIAS_PREFIX + PinProtectedKeyStore.DEFAULT_ALIAS
                                             + "-"), removed.get(0));
        assertEquals(List.of(BOB_NEW.certificate()), store.loadAll(PIN).stream().map(SmimeCredentials::certificate).toList());
    }

    @Test
    void theKeysOfAnAliasAreItsOwnAndTheOnesKeptAtItsRenewals() throws Exception {
        PinProtectedKeyStore store = new PinProtectedKeyStore(dir.resolve("shared.p12"));
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_OLD.privateKey(), BOB_OLD.chain());
        store.save(PIN, PinProtectedKeyStore.DEFAULT_ALIAS, BOB_NEW.privateKey(), BOB_NEW.chain());
        store.save(PIN, "alice", ALICE.privateKey(), ALICE.chain()); // another account's key in the same file

        assertEquals(List.of(BOB_NEW.certificate(), BOB_OLD.certificate()),
                store.loadAll(PIN, PinProtectedKeyStore.DEFAULT_ALIAS).stream().map(SmimeCredentials::certificate).toList());
        assertEquals(List.of(ALICE.certificate()),
                store.loadAll(PIN, "alice").stream().map(SmimeCredentials::certificate).toList());
        assertEquals(3, store.loadAll(PIN).size(), "without an alias: every key, the current (default alias) first");
        assertEquals(BOB_NEW.certificate(), store.loadAll(PIN).get(0).certificate());
        assertThrows(io.github.camelkvconnect.smime.keys.KeyStoreAccessException.class, () -> store.loadAll(PIN, "nobody"));
    }
}
