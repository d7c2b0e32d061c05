package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalogue item R08 (Bleichenbacher / "million message" oracle) for the KV-Connect profile, which has to accept RSA
 * PKCS#1 v1.5 key transport (the real KV-Connect wire format) and so cannot refuse {@code rsaEncryption} outright. The
 * defence is then that a sender cannot tell the cases apart: a message addressed to our certificate whose
 * KeyTransRecipientInfo carries
 * <ol type="a">
 * <li>an RSA block with bad PKCS#1 v1.5 padding,</li>
 * <li>good padding around a content key of the wrong length (16 or 31 bytes instead of 32 for AES-256),</li>
 * <li>good padding, right length, wrong key (AES-CBC then ends in bad padding), or</li>
 * <li>random bytes</li>
 * </ol>
 * must end in the same exception type, the same reason code and the same user-facing message, without any
 * padding-specific detail (nor a cause naming the failed check), and leave no temporary file. The RSA blocks are built here with the recipient's public key
 * and raw RSA ({@code RSA/ECB/NoPadding}); the content is encrypted with a key the test knows, and a control message
 * with the correct block proves the construction reads fine.
 * <p>
 * Not covered: a wrong key whose AES-CBC output happens to end in valid padding (about 1 in 256) goes on to the MIME
 * parsing and fails there; implicit rejection (a pseudo-random content key on bad PKCS#1 padding) would give bad
 * padding that same rare outcome too. Out of scope: the catalogue's statistical timing test (marvin-toolkit style, 10 000 samples per case) - timing
 * cannot be asserted reliably in a unit test on a shared build machine, so this test checks the observable outcome only.
 */
class KeyTransportUniformityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SmimeCredentials BOB = FuzzHarness.BOB;

    private static byte[] plaintext;

    @TempDir
    Path work;

    @BeforeAll
    static void validPlaintext() throws Exception {
        // a complete, correctly signed KV-Connect plaintext (multipart/signed) as the module itself writes it
        byte[] transport = FuzzHarness.validTransports().get(SmimeProfile.KVCONNECT.ordinal());
        plaintext = TestMessages.plaintextOf(transport, BOB);
    }

    @ParameterizedTest
    @ValueSource(strings = { "default", "BC" })
    void correctKeyTransportBlockReads(String rsaProvider) throws Exception {
        byte[] key = randomBytes(32);
        Envelope envelope = Envelope.of(plaintext, key);
        try (DecryptedMessage m = reader(rsaProvider).read(new ByteArrayInputStream(envelope.transport(rsa(pkcs1Block(key)))))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), "the crafted envelope itself must be sound");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "default", "BC" })
    void everyBrokenKeyTransportEndsAlike(String rsaProvider) throws Exception {
        byte[] key = randomBytes(32);
        Envelope envelope = Envelope.of(plaintext, key);
        byte[] wrongKey = envelope.keyWithBadCbcPadding();
        int k = modulusBytes();

        Map<String, byte[]> cases = new LinkedHashMap<>();
        byte[] badType = pkcs1Block(key);
        badType[1] = 0x01; // block type 1 (signature) instead of 2
        cases.put("a: bad padding, block type 1", rsa(badType));
        byte[] noSeparator = pkcs1Block(key);
        for (int i = 2; i < noSeparator.length; i++) {
            noSeparator[i] = noSeparator[i] == 0 ? 0x5a : noSeparator[i]; // no zero byte ends the padding
        }
        cases.put("a: bad padding, no separator", rsa(noSeparator));
        byte[] nonZeroFirst = pkcs1Block(key);
        nonZeroFirst[0] = 0x01;
        cases.put("a: bad padding, first byte not zero", rsa(nonZeroFirst));
        cases.put("b: good padding, 16-byte key", rsa(pkcs1Block(Arrays.copyOf(key, 16))));
        cases.put("b: good padding, 31-byte key", rsa(pkcs1Block(Arrays.copyOf(key, 31))));
        cases.put("c: good padding, wrong 32-byte key", rsa(pkcs1Block(wrongKey)));
        cases.put("d: random bytes", rsa(randomBlockBelowModulus(k)));

        Map<String, SmimeDecryptionException> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                    () -> reader(rsaProvider).read(new ByteArrayInputStream(envelope.transport(c.getValue()))).close(), c.getKey());
            outcomes.put(c.getKey(), e);
            try (var left = Files.list(work)) {
                assertEquals(0, left.count(), c.getKey() + ": temporary files left behind");
            }
        }
        SmimeDecryptionException first = outcomes.values().iterator().next();
        StringBuilder table = new StringBuilder();
        outcomes.forEach((name, e) -> table.append("\n  ").append(name).append(" -> ").append(e.getClass().getSimpleName())
                .append(' ').append(e.reason()).append(" \"").append(e.getMessage()).append('"'));
        for (Map.Entry<String, SmimeDecryptionException> o : outcomes.entrySet()) {
            SmimeDecryptionException e = o.getValue();
            assertEquals(first.getClass(), e.getClass(), "exception type differs:" + table);
            assertEquals(first.reason(), e.reason(), "reason differs:" + table);
            assertEquals(first.getMessage(), e.getMessage(), "message differs:" + table);
            assertNull(e.getCause(), o.getKey() + ": the cause would name the failed check (logged with the exception)");
            String text = e.getMessage().toLowerCase(Locale.ROOT);
            for (String detail : new String[] { "padding", "pkcs", "length", "block", "bad" }) {
                assertFalse(text.contains(detail), o.getKey() + ": the message reveals \"" + detail + "\": " + e.getMessage());
            }
        }
    }

    /** The default key transport (Bouncy Castle) or the rsaProvider path (JCA names on a chosen provider). */
    private SmimeReader reader(String rsaProvider) {
        SmimeReader.Builder b = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT).credentials(BOB)
                .trustAnchors(FuzzHarness.PKI.anchors()).workDirectory(work);
        if (!"default".equals(rsaProvider)) {
            b.rsaProvider(CertificateChecks.BC); // explicitly chosen: RsaOperations.unwrap with its own length check
        }
        return b.build();
    }

    private static int modulusBytes() {
        return (((RSAPublicKey) BOB.certificate().getPublicKey()).getModulus().bitLength() + 7) / 8;
    }

    /** EME-PKCS1-v1_5 (RFC 8017 7.2.1): 00 02, non-zero random padding, 00, the message. */
    private static byte[] pkcs1Block(byte[] message) {
        int k = modulusBytes();
        byte[] block = new byte[k];
        block[1] = 0x02;
        for (int i = 2; i < k - message.length - 1; i++) {
            byte b;
            do {
                b = (byte) RANDOM.nextInt(256);
            } while (b == 0);
            block[i] = b;
        }
        System.arraycopy(message, 0, block, k - message.length, message.length);
        return block;
    }

    /** Random bytes that are a valid RSA input (below the modulus). */
    private static byte[] randomBlockBelowModulus(int k) {
        BigInteger n = ((RSAPublicKey) BOB.certificate().getPublicKey()).getModulus();
        byte[] value = new BigInteger(n.bitLength() - 1, RANDOM).toByteArray();
        byte[] b = new byte[k];
        int len = Math.min(value.length, k);
        System.arraycopy(value, value.length - len, b, k - len, len);
        return b;
    }

    /** Raw RSA with the recipient's public key: anyone holding the certificate can do this. */
    private static byte[] rsa(byte[] block) throws Exception {
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, BOB.certificate().getPublicKey());
        return raw.doFinal(block);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** An EnvelopedData (AES-256-CBC) whose content the test encrypted itself, with a replaceable encryptedKey. */
    private record Envelope(byte[] iv, byte[] ciphertext) {

        static Envelope of(byte[] plaintext, byte[] key) throws Exception {
            byte[] iv = randomBytes(16);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return new Envelope(iv, aes.doFinal(plaintext));
        }

        /** A 32-byte key under which the content decrypts to garbage with bad CBC padding (about 255 in 256 keys do). */
        byte[] keyWithBadCbcPadding() throws Exception {
            while (true) {
                byte[] candidate = randomBytes(32);
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(candidate, "AES"), new IvParameterSpec(iv));
                try {
                    aes.doFinal(ciphertext);
                } catch (BadPaddingException expected) {
                    return candidate;
                }
            }
        }

        byte[] transport(byte[] encryptedKey) throws Exception {
            RecipientIdentifier rid = new RecipientIdentifier(new IssuerAndSerialNumber(
                    X500Name.getInstance(BOB.certificate().getIssuerX500Principal().getEncoded()),
                    BOB.certificate().getSerialNumber()));
            KeyTransRecipientInfo ktri = new KeyTransRecipientInfo(rid,
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), new DEROctetString(encryptedKey));
            EncryptedContentInfo content = new EncryptedContentInfo(CMSObjectIdentifiers.data,
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv)),
                    new DEROctetString(ciphertext));
            EnvelopedData env = new EnvelopedData(null, new DERSet(new RecipientInfo(ktri)), content, (org.bouncycastle.asn1.ASN1Set) null);
            byte[] der = new ContentInfo(CMSObjectIdentifiers.envelopedData, env).getEncoded("DER");
            return TestMessages.wrap(TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de"), der, "enveloped-data");
        }
    }
}
