package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every OpenSSL interoperability test of {@link OpenSslInteropTest} again with the RSA operations (signature, key
 * wrap, key unwrap, PKCS#1 v1.5 verification) on the Amazon Corretto Crypto Provider, plus proof that the provider
 * changes no byte of the format: the algorithm identifiers equal Bouncy Castle's and messages cross between a writer or
 * reader on ACCP and one on the default providers, in both profiles.
 */
class AccpOpenSslInteropTest extends OpenSslInteropTest {

    private static Provider accp;

    @BeforeAll
    static void requireAccp() {
        boolean supportedPlatform = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                                    && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        org.junit.jupiter.api.Assumptions.assumeTrue(supportedPlatform,
                "the test dependency carries ACCP for linux-x86_64 only");
        accp = RsaProviders.accelerated().orElseThrow(() -> new AssertionError(
                "the Amazon Corretto Crypto Provider (test dependency) must load and pass the self-test on linux-x86_64"));
        assertTrue(accp.getName().contains("Corretto"), accp.getName());
    }

    @Override
    Provider rsaProvider() {
        return accp;
    }

    private SmimeWriter defaultWriter(SmimeProfile profile) {
        return SmimeWriter.builder().profile(profile).credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).build();
    }

    private SmimeReader defaultReader(SmimeProfile profile) {
        return SmimeReader.builder().profiles(profile).credentials(BOB).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build();
    }

    private static byte[] write(SmimeWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund " + writer.profile()), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }

    private static void assertReads(SmimeReader reader, byte[] transport, SmimeProfile profile) throws Exception {
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(transport))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("alice@kv-safenet.de", m.verification().signerAddress());
            assertEquals(profile, m.profile());
            try (var in = m.openEntityStream()) {
                assertTrue(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("Befund " + profile));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SmimeProfile.class)
    void messagesCrossBetweenAccpAndDefaultProviders(SmimeProfile profile) throws Exception {
        byte[] fromAccp = write(writer(profile));
        byte[] fromDefault = write(defaultWriter(profile));
        assertReads(defaultReader(profile), fromAccp, profile);
        assertReads(reader(profile), fromDefault, profile);
        assertReads(reader(profile), fromAccp, profile);
    }

    @ParameterizedTest
    @EnumSource(SmimeProfile.class)
    void keyTransportIdentifiersEqualTheDefaultOnes(SmimeProfile profile) throws Exception {
        List<AlgorithmIdentifier> accpIds = keyTransportIds(write(writer(profile)), profile);
        List<AlgorithmIdentifier> defaultIds = keyTransportIds(write(defaultWriter(profile)), profile);
        assertEquals(2, accpIds.size(), "recipient and sender");
        assertEquals(defaultIds, accpIds);
        assertArrayEquals(defaultIds.get(0).getEncoded(), accpIds.get(0).getEncoded());
    }

    private static List<AlgorithmIdentifier> keyTransportIds(byte[] transport, SmimeProfile profile) throws Exception {
        var cms = TestMessages.cmsOf(transport);
        var recipients = profile == SmimeProfile.KIM ? new CMSAuthEnvelopedData(cms).getRecipientInfos()
                : new CMSEnvelopedData(cms).getRecipientInfos();
        List<AlgorithmIdentifier> ids = new ArrayList<>();
        for (RecipientInformation r : recipients.getRecipients()) {
            ids.add(r.getKeyEncryptionAlgorithm());
        }
        return ids;
    }

    @Test
    void pssIdentifierEqualsBouncyCastles() throws Exception {
        AlgorithmIdentifier bc = new JcaContentSignerBuilder("SHA256withRSAandMGF1", RsaOperations.PSS)
                .setProvider(CertificateChecks.BC).build(ALICE.privateKey()).getAlgorithmIdentifier();
        assertArrayEquals(bc.getEncoded(), RsaOperations.pssIdentifier(RsaOperations.PSS).getEncoded());
        assertArrayEquals(bc.getEncoded(), RsaOperations.on(accp).signer(ALICE.privateKey(), RsaOperations.PSS)
                .getAlgorithmIdentifier().getEncoded());
    }

    @ParameterizedTest
    @EnumSource(SmimeProfile.class)
    void wrongKeyIsNoMatchingRecipient(SmimeProfile profile) throws Exception {
        byte[] transport = write(writer(profile));
        SmimeReader mallory = SmimeReader.builder().profiles(profile).privateKey(PKI.user("mallory@kv-safenet.de").privateKey())
                .trustAnchors(PKI.anchors()).rsaProvider(accp).build();
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> mallory.read(new ByteArrayInputStream(transport)).close());
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, e.reason());
    }

    @Test
    void dataFormatOptionResolvesProviders() {
        assertNull(RsaProviders.resolve(null));
        assertNull(RsaProviders.resolve("default"));
        assertSame(accp, RsaProviders.resolve("auto"));
        assertSame(accp, RsaProviders.resolve("AmazonCorrettoCryptoProvider"));
        // registered, but with RSA signatures only (no RSA cipher): refused when resolved, not on the first message
        UnsuitableRsaProviderException unsuitable = assertThrows(UnsuitableRsaProviderException.class,
                () -> RsaProviders.resolve("SunRsaSign"));
        assertEquals("Cipher RSA/ECB/PKCS1Padding", unsuitable.missingService());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RsaProviders.resolve("NoSuch"));
        assertTrue(e.getMessage().contains("no such JCA provider"), e.getMessage());
    }
}
