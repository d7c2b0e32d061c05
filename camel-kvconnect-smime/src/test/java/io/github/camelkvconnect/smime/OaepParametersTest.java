package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue R09: RSA-OAEP key transport with SHA-256 and MGF1-SHA-256 decrypts; SHA-1 (the RFC 4055 default), an
 * unknown hash OID and a non-empty label are refused cleanly ({@link DecryptionFailure#ALGORITHM_NOT_ALLOWED}, a text
 * naming the parameter) before any private-key operation, under the KIM and the KV-Connect profile alike.
 */
class OaepParametersTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials BOB = PKI.user("bob@kim.telematik");
    private static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nBefund\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final AlgorithmIdentifier SHA256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
    private static final AlgorithmIdentifier SHA1 = new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1);

    @TempDir
    Path work;

    private static AlgorithmIdentifier oaep(AlgorithmIdentifier hash, AlgorithmIdentifier source) {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new RSAESOAEPparams(hash,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash), source));
    }

    private static byte[] message(AlgorithmIdentifier keyTransport) throws Exception {
        return KimEccTest.envelope(CONTENT, new JceKeyTransRecipientInfoGenerator(BOB.certificate(), keyTransport)
                .setProvider(CertificateChecks.BC));
    }

    private DecryptedMessage read(SmimeProfile profile, byte[] transport) throws Exception {
        return SmimeReader.builder().profiles(profile).credentials(BOB).workDirectory(work).build()
                .read(new ByteArrayInputStream(transport));
    }

    private void assertRefused(byte[] transport, String named) {
        for (SmimeProfile profile : SmimeProfile.values()) {
            SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> read(profile, transport).close());
            assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason(), profile + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
    }

    @Test
    void sha256WithMgf1Sha256Decrypts() throws Exception {
        byte[] msg = message(oaep(SHA256, RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
        for (SmimeProfile profile : SmimeProfile.values()) {
            try (DecryptedMessage m = read(profile, msg)) {
                assertEquals(1, m.layerCount());
                assertEquals(VerificationStatus.UNSIGNED, m.verification().status(), "decrypted (the content is unsigned)");
            }
        }
    }

    @Test
    void sha1IsRefused() throws Exception {
        assertRefused(message(oaep(SHA1, RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM)), OIWObjectIdentifiers.idSHA1.getId());
    }

    @Test
    void unknownHashOidIsRefused() throws Exception {
        byte[] der = TestMessages.cmsOf(message(oaep(SHA256, RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM)));
        // id-sha256 (2.16.840.1.101.3.4.2.1) -> 2.16.840.1.101.3.4.2.127 in the OAEP hash (its first occurrence)
        byte[] sha256Oid = { 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
        int at = KimProfileTest.indexOf(der, sha256Oid);
        assertTrue(at > 0);
        der[at + sha256Oid.length - 1] = 0x7f;
        java.util.Map<String, String> h = TestMessages.headers("alice@kim.telematik", "bob@kim.telematik");
        assertRefused(TestMessages.wrap(h, der, "authenticated-enveloped-data"), "2.16.840.1.101.3.4.2.127");
    }

    @Test
    void nonEmptyLabelIsRefused() throws Exception {
        AlgorithmIdentifier label = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_pSpecified,
                new DEROctetString("label".getBytes(StandardCharsets.US_ASCII)));
        assertRefused(message(oaep(SHA256, label)), "label");
    }
}
