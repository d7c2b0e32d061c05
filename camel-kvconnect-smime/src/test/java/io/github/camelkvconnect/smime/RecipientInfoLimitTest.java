package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.multipartSigned;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R07: the number of RecipientInfos is capped, and with our certificate configured only a few entries that do not
 * name it are trial-decrypted (each trial is an RSA private-key operation).
 */
class RecipientInfoLimitTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials CAROL = PKI.user("carol@kv-safenet.de");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path work;

    /** A key-transport entry for {@code key} that names a random subject key identifier (no real certificate). */
    private static RecipientInfoGenerator bogus(PublicKey key) {
        byte[] ski = new byte[20];
        RANDOM.nextBytes(ski);
        return new JceKeyTransRecipientInfoGenerator(ski, key);
    }

    /**
     * Like {@link #bogus(PublicKey)}, with the identifier's first byte fixed. RecipientInfos is a DER SET OF, sorted by
     * encoding, and entries of equal size differ first in the identifier: the first byte decides where the entry ends
     * up among the others, which is the order the reader tries them in.
     */
    private static RecipientInfoGenerator bogus(PublicKey key, int firstByte) {
        byte[] ski = new byte[20];
        RANDOM.nextBytes(ski);
        ski[0] = (byte) firstByte;
        return new JceKeyTransRecipientInfoGenerator(ski, key);
    }

    private static byte[] message(List<RecipientInfoGenerator> recipients) throws Exception {
        byte[] signed = multipartSigned(toBytes(businessEntity("Befund")), ALICE, true);
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        recipients.forEach(g::addRecipientInfoGenerator);
        byte[] der = g.generate(new CMSProcessableByteArray(signed),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
        return TestMessages.wrap(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), der, "enveloped-data");
    }

    private SmimeReader reader() {
        return SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
    }

    @Test
    void thousandRecipientInfosAreRefusedBeforeAnyDecryption() throws Exception {
        List<RecipientInfoGenerator> recipients = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            recipients.add(bogus(CAROL.certificate().getPublicKey()));
        }
        recipients.add(new JceKeyTransRecipientInfoGenerator(BOB.certificate()));
        byte[] msg = message(recipients);
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader().read(new ByteArrayInputStream(msg)));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxRecipientInfos"), e.getMessage());
        // the limit is configurable
        SmimeReader generous = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work)
                .limits(SmimeLimits.defaults().withMaxRecipientInfos(1000)).build();
        try (DecryptedMessage m = generous.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
    }

    @Test
    void withOurCertificateOnlyAFewUnnamedEntriesAreTried() throws Exception {
        List<RecipientInfoGenerator> recipients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recipients.add(bogus(CAROL.certificate().getPublicKey(), 0x00));
        }
        // our key, but the entry names no certificate of ours: found only by trial, which stops after a few entries;
        // sorted behind all the others (with a random identifier it came first in about one run in seven)
        recipients.add(bogus(BOB.certificate().getPublicKey(), 0x7f));
        byte[] msg = message(recipients);
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT,
                assertThrows(SmimeDecryptionException.class, () -> reader().read(new ByteArrayInputStream(msg))).reason());
        // with only the private key every entry is still tried
        SmimeReader keyOnly = SmimeReader.builder().privateKey(BOB.privateKey()).trustAnchors(PKI.anchors())
                .workDirectory(work).build();
        try (DecryptedMessage m = keyOnly.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
    }

    @Test
    void anEntryNamingOurSubjectKeyIdentifierIsFoundWithoutTrials() throws Exception {
        List<RecipientInfoGenerator> recipients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recipients.add(bogus(CAROL.certificate().getPublicKey()));
        }
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(BOB.certificate().getPublicKey())
                .getKeyIdentifier();
        recipients.add(new JceKeyTransRecipientInfoGenerator(ski, BOB.certificate().getPublicKey()));
        try (DecryptedMessage m = reader().read(new ByteArrayInputStream(message(recipients)))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
    }
}
