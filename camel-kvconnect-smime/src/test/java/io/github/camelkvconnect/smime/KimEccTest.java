package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorIdentifierOrKey;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * KIM with the ECC keys of the newer TI smartcards (domain reference §12.2: SMC-B/HBA G2.1, brainpoolP256r1): ECDSA
 * signatures, ECDH KeyAgreeRecipientInfos next to RSA key transport, the curve allow-list, and failures reported with
 * the same {@link DecryptionFailure} reasons as for RSA. OpenSSL as an independent peer: {@link KimEccOpenSslTest}.
 */
class KimEccTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE_EC = PKI.user("alice.ecc@kim.telematik", TestPki.Variant.EC);
    private static final SmimeCredentials BOB_EC = PKI.user("bob.ecc@kim.telematik", TestPki.Variant.EC);
    private static final SmimeCredentials CAROL_EC = PKI.ecUser("carol.ecc@kim.telematik", "secp256r1");
    private static final SmimeCredentials ALICE_RSA = PKI.user("alice@kim.telematik");
    private static final SmimeCredentials BOB_RSA = PKI.user("bob@kim.telematik");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] kim(SmimeCredentials sender, SmimeCredentials... recipients) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(sender)
                .certificateResolver(TestPki.resolver(recipients)).trustAnchors(PKI.anchors()).build();
        List<String> to = new ArrayList<>();
        for (SmimeCredentials r : recipients) {
            to.add(CertificateChecks.emailOf(r.certificate()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund ECC"), headers(CertificateChecks.emailOf(sender.certificate()),
                String.join(", ", to)), out);
        return out.toByteArray();
    }

    static SmimeReader reader(SmimeCredentials own) {
        return SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(own).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build();
    }

    /** Reads {@code msg} as {@code own}: VALID and the content arrived. */
    private static void assertReadsValid(byte[] msg, SmimeCredentials own) throws Exception {
        try (DecryptedMessage m = reader(own).read(new ByteArrayInputStream(msg))) {
            assertEquals(SmimeProfile.KIM, m.profile());
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertTrue(new String(Files.readAllBytes(m.entityFile()), StandardCharsets.UTF_8).contains("Befund ECC"));
        }
    }

    /** Key-encryption algorithm OIDs of the envelope's RecipientInfos (BC lists one per recipient). */
    private static List<String> recipientAlgorithms(byte[] msg) throws Exception {
        List<String> result = new ArrayList<>();
        for (RecipientInformation r : new CMSAuthEnvelopedDataParser(TestMessages.cmsOf(msg)).getRecipientInfos()
                .getRecipients()) {
            result.add(r.getKeyEncryptionAlgOID());
        }
        result.sort(null);
        return result;
    }

    /** The SignerInfo of a KIM message, decrypted with BC directly for an EC recipient. */
    private static SignerInformation signerInfo(byte[] msg, SmimeCredentials ecRecipient) throws Exception {
        CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(TestMessages.cmsOf(msg));
        RecipientInformation r = parser.getRecipientInfos().get(new org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId(
                ecRecipient.certificate()));
        byte[] plain = r.getContent(new JceKeyAgreeAuthEnvelopedRecipient(ecRecipient.privateKey())
                .setProvider(CertificateChecks.BC));
        String s = new String(plain, StandardCharsets.ISO_8859_1);
        byte[] signed = Arrays.copyOfRange(plain, s.indexOf("\r\n\r\n") + 4, plain.length);
        return new CMSSignedData(signed).getSignerInfos().getSigners().iterator().next();
    }

    // ---- round trips ------------------------------------------------------------------------------------------

    @Test
    void eccSenderToEccRecipientRoundTrip() throws Exception {
        byte[] msg = kim(ALICE_EC, BOB_EC);
        // recipient and sender: one ECDH key agreement each, X9.63 KDF with SHA-256, AES-256 key wrap
        assertEquals(List.of(AlgorithmPolicy.ECDH_SHA256_KDF, AlgorithmPolicy.ECDH_SHA256_KDF), recipientAlgorithms(msg));
        for (RecipientInformation r : new CMSAuthEnvelopedDataParser(TestMessages.cmsOf(msg)).getRecipientInfos()
                .getRecipients()) {
            assertEquals(AlgorithmPolicy.AES256_WRAP, AlgorithmIdentifier.getInstance(
                    r.getKeyEncryptionAlgorithm().getParameters()).getAlgorithm().getId());
            // an ephemeral originator key on the recipient's curve, never the sender's certified key
            OriginatorPublicKey originator = ((KeyAgreeRecipientInformation) r).getOriginator().getOriginatorKey();
            assertNotNull(originator);
            assertTrue(!Arrays.equals(originator.getPublicKey().getBytes(), org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                    .getInstance(ALICE_EC.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes()));
        }
        SignerInformation si = signerInfo(msg, BOB_EC);
        assertEquals(AlgorithmPolicy.ECDSA_WITH_SHA256, si.getEncryptionAlgOID());
        assertEquals(AlgorithmPolicy.SHA256, si.getDigestAlgOID());
        assertReadsValid(msg, BOB_EC);
        assertReadsValid(msg, ALICE_EC);
    }

    @Test
    void rsaSenderToEccRecipient() throws Exception {
        byte[] msg = kim(ALICE_RSA, BOB_EC);
        assertEquals(List.of(AlgorithmPolicy.RSA_OAEP, AlgorithmPolicy.ECDH_SHA256_KDF), recipientAlgorithms(msg));
        assertEquals(AlgorithmPolicy.RSASSA_PSS, signerInfo(msg, BOB_EC).getEncryptionAlgOID());
        assertReadsValid(msg, BOB_EC);
        assertReadsValid(msg, ALICE_RSA);
    }

    @Test
    void eccSenderToMixedRsaAndEccRecipients() throws Exception {
        byte[] msg = kim(ALICE_EC, BOB_RSA, BOB_EC, CAROL_EC);
        assertEquals(List.of(AlgorithmPolicy.RSA_OAEP, AlgorithmPolicy.ECDH_SHA256_KDF, AlgorithmPolicy.ECDH_SHA256_KDF,
                AlgorithmPolicy.ECDH_SHA256_KDF), recipientAlgorithms(msg));
        for (SmimeCredentials own : List.of(BOB_RSA, BOB_EC, CAROL_EC, ALICE_EC)) {
            assertReadsValid(msg, own);
        }
        // with the EC private key alone (certificate unknown) the key agreement entries are tried
        try (DecryptedMessage m = SmimeReader.builder().profiles(SmimeProfile.KIM).privateKey(CAROL_EC.privateKey())
                .trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build().read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
    }

    @Test
    void aRecipientWithAnRsaAndAnEccCertificateGetsBothEntries() throws Exception {
        // the two keys of one card, both certified for the same address
        SmimeCredentials dualRsa = PKI.user("dual@kim.telematik");
        SmimeCredentials dualEc = PKI.user("dual@kim.telematik", TestPki.Variant.EC);
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE_EC)
                .certificateResolver(TestPki.resolver(dualRsa, dualEc)).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund ECC"), headers("alice.ecc@kim.telematik", "dual@kim.telematik"), out);
        byte[] msg = out.toByteArray();
        assertEquals(List.of(AlgorithmPolicy.RSA_OAEP, AlgorithmPolicy.ECDH_SHA256_KDF, AlgorithmPolicy.ECDH_SHA256_KDF),
                recipientAlgorithms(msg));
        assertReadsValid(msg, dualRsa);
        assertReadsValid(msg, dualEc);
        // KV-Connect: still one certificate per address (the first usable, RSA)
        SmimeWriter kvc = SmimeWriter.builder().credentials(ALICE_RSA).certificateResolver(TestPki.resolver(dualRsa, dualEc))
                .trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream kvcOut = new ByteArrayOutputStream();
        kvc.write(businessEntity("x"), headers("alice@kim.telematik", "dual@kim.telematik"), kvcOut);
        assertEquals(2, new org.bouncycastle.cms.CMSEnvelopedData(TestMessages.cmsOf(kvcOut.toByteArray()))
                .getRecipientInfos().size());
    }

    @Test
    void rsaReaderReadsAMessageWithKeyAgreementEntriesBesideItsKeyTransport() throws Exception {
        // built with Bouncy Castle directly, as another client (an ECC-capable Konnektor) would
        byte[] msg = envelope(ALICE_RSA, signedWrap(ALICE_RSA, "SHA256withRSAandMGF1"), ktri(BOB_RSA.certificate()),
                kari(BOB_EC.certificate(), CMSAlgorithm.ECDH_SHA256KDF), kari(CAROL_EC.certificate(), CMSAlgorithm.ECDH_SHA1KDF));
        assertEquals(3, recipientAlgorithms(msg).size());
        try (DecryptedMessage m = reader(BOB_RSA).read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
        // and by trial with the RSA key alone: only the key transport entry fits the key
        try (DecryptedMessage m = SmimeReader.builder().profiles(SmimeProfile.KIM).privateKey(BOB_RSA.privateKey())
                .trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build().read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
    }

    // ---- signatures --------------------------------------------------------------------------------------------

    @Test
    void ecdsaOnEveryAllowedCurveAndStrongDigestVerifies() throws Exception {
        String[][] cases = {
                { "brainpoolP256r1", "SHA256withECDSA" }, { "brainpoolP256r1", "SHA512withECDSA" },
                { "brainpoolP384r1", "SHA384withECDSA" }, { "brainpoolP512r1", "SHA512withECDSA" },
                { "secp256r1", "SHA256withECDSA" }, { "secp384r1", "SHA384withECDSA" } };
        for (String[] c : cases) {
            SmimeCredentials signer = PKI.ecUser("signer@kim.telematik", c[0]);
            byte[] msg = envelope(signer, signedWrap(signer, c[1]), ktri(BOB_RSA.certificate()));
            try (DecryptedMessage m = reader(BOB_RSA).read(new ByteArrayInputStream(msg))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), c[0] + " " + c[1] + ": "
                        + m.verification().detail());
            }
        }
    }

    private static VerificationResult verificationOf(SmimeCredentials signer, String algorithm) throws Exception {
        byte[] msg = envelope(signer, signedWrap(signer, algorithm), ktri(BOB_RSA.certificate()));
        try (DecryptedMessage m = reader(BOB_RSA).read(new ByteArrayInputStream(msg))) {
            return m.verification();
        }
    }

    @Test
    void ecdsaOnADisallowedCurveIsABadSignature() throws Exception {
        VerificationResult v = verificationOf(PKI.ecUser("k1@kim.telematik", "secp256k1"), "SHA256withECDSA");
        assertEquals(VerificationStatus.BAD_SIGNATURE, v.status());
        assertTrue(v.detail().contains("secp256k1") && v.detail().contains("does not allow"), v.detail());
    }

    @Test
    void ecdsaWithAWeakDigestIsABadSignature() throws Exception {
        VerificationResult v = verificationOf(ALICE_EC, "SHA1withECDSA");
        assertEquals(VerificationStatus.BAD_SIGNATURE, v.status());
        assertTrue(v.detail().contains("not allowed by the profile"), v.detail());
        v = verificationOf(ALICE_EC, "SHA224withECDSA");
        assertEquals(VerificationStatus.BAD_SIGNATURE, v.status());
        assertTrue(v.detail().contains("not allowed by the profile"), v.detail());
    }

    @Test
    void ecdsaHashDifferentFromTheSignerInfoDigestIsABadSignature() throws Exception {
        byte[] msg = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA",
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha512), ktri(BOB_RSA.certificate()));
        try (DecryptedMessage m = reader(BOB_RSA).read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status());
            assertTrue(m.verification().detail().contains("differs from the SignerInfo digest"), m.verification().detail());
        }
    }

    @Test
    void alteredEcdsaSignatureIsABadSignature() throws Exception {
        byte[] signedWrap = signedWrap(ALICE_EC, "SHA256withECDSA");
        String s = new String(signedWrap, StandardCharsets.US_ASCII);
        int body = s.indexOf("\r\n\r\n") + 4;
        byte[] der = Base64.getMimeDecoder().decode(s.substring(body));
        der[der.length - 5] ^= 0x01; // inside the ECDSA signature value, the last element of the SignerInfo
        byte[] altered = (s.substring(0, body) + Base64.getMimeEncoder().encodeToString(der) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (DecryptedMessage m = reader(BOB_RSA).read(new ByteArrayInputStream(envelope(ALICE_EC, altered,
                ktri(BOB_RSA.certificate()))))) {
            assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status(), m.verification().detail());
        }
    }

    @Test
    void kvConnectStaysRsaOnly() throws Exception {
        // an ECDSA signature under the KV-Connect policy (which accepts AuthEnvelopedData with OAEP): refused by algorithm
        assertTrue(AlgorithmPolicy.kvConnect().ellipticCurves().isEmpty());
        SmimeReader kvc = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT).credentials(BOB_RSA)
                .trustAnchors(PKI.anchors()).build();
        byte[] msg = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"), ktri(BOB_RSA.certificate()));
        try (DecryptedMessage m = kvc.read(new ByteArrayInputStream(msg))) {
            assertEquals(SmimeProfile.KVCONNECT, m.profile());
            assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status());
            assertTrue(m.verification().detail().contains(AlgorithmPolicy.ECDSA_WITH_SHA256), m.verification().detail());
        }
        // nor opens an ECDH entry for an EC key
        byte[] toEcKey = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"), kari(BOB_EC.certificate(),
                CMSAlgorithm.ECDH_SHA256KDF));
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, failure(SmimeReader.builder().profiles(SmimeProfile.KVCONNECT)
                .credentials(BOB_EC).build(), toEcKey));
        // the KV-Connect writer neither signs with an EC key nor encrypts to an EC certificate
        SmimeWriter ecSender = SmimeWriter.builder().credentials(ALICE_EC).certificateResolver(TestPki.resolver(BOB_RSA))
                .build();
        SmimeException e = assertThrows(SmimeException.class, () -> ecSender.write(businessEntity("x"),
                headers("alice.ecc@kim.telematik", "bob@kim.telematik"), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("RSA only"), e.getMessage());
        SmimeWriter toEc = SmimeWriter.builder().credentials(ALICE_RSA).certificateResolver(TestPki.resolver(BOB_EC))
                .build();
        CertificateProblemsException p = assertThrows(CertificateProblemsException.class, () -> toEc.write(
                businessEntity("x"), headers("alice@kim.telematik", "bob.ecc@kim.telematik"), new ByteArrayOutputStream()));
        assertTrue(p.problems().get("bob.ecc@kim.telematik").contains("keyEncipherment"), p.problems().toString());
    }

    // ---- certificate checks when sending ----------------------------------------------------------------------

    @Test
    void eccRecipientOnADisallowedCurveOrWithoutKeyAgreementIsRefused() throws Exception {
        SmimeCredentials k1 = PKI.ecUser("k1@kim.telematik", "secp256k1");
        SmimeCredentials signOnly = PKI.user("signonly@kim.telematik", TestPki.Variant.EC, TestPki.Variant.NO_KEY_AGREEMENT);
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE_EC)
                .certificateResolver(TestPki.resolver(k1, signOnly)).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CertificateProblemsException e = assertThrows(CertificateProblemsException.class, () -> writer.write(
                businessEntity("x"), headers("alice.ecc@kim.telematik", "k1@kim.telematik, signonly@kim.telematik"), out));
        assertTrue(e.problems().get("k1@kim.telematik").contains("secp256k1"), e.problems().toString());
        assertTrue(e.problems().get("signonly@kim.telematik").contains("keyAgreement"), e.problems().toString());
        assertEquals(0, out.size(), "nothing written");
    }

    // ---- decryption failures: the same reasons as for RSA ------------------------------------------------------

    /** Replaces the RecipientInfos naming {@code serial}; the rest of the AuthEnvelopedData is kept. */
    private static byte[] tamperRecipient(byte[] msg, BigInteger serial, UnaryOperator<RecipientInfo> change) {
        return rebuild(msg, aed -> {
            ASN1EncodableVector infos = new ASN1EncodableVector();
            for (var e : aed.getRecipientInfos()) {
                RecipientInfo ri = RecipientInfo.getInstance(e);
                infos.add(names(ri, serial) ? change.apply(ri) : ri);
            }
            return new AuthEnvelopedData(aed.getOriginatorInfo(), new DERSet(infos), aed.getAuthEncryptedContentInfo(),
                    aed.getAuthAttrs(), aed.getMac(), aed.getUnauthAttrs());
        });
    }

    private static boolean names(RecipientInfo ri, BigInteger serial) {
        if (ri.getInfo() instanceof KeyTransRecipientInfo k) {
            return IssuerAndSerialNumber.getInstance(k.getRecipientIdentifier().getId()).getSerialNumber().getValue()
                    .equals(serial);
        }
        KeyAgreeRecipientInfo k = (KeyAgreeRecipientInfo) ri.getInfo();
        RecipientEncryptedKey rek = RecipientEncryptedKey.getInstance(k.getRecipientEncryptedKeys().getObjectAt(0));
        return rek.getIdentifier().getIssuerAndSerialNumber().getSerialNumber().getValue().equals(serial);
    }

    private static byte[] rebuild(byte[] msg, UnaryOperator<AuthEnvelopedData> change) {
        try {
            ContentInfo ci = ContentInfo.getInstance(TestMessages.cmsOf(msg));
            AuthEnvelopedData aed = change.apply(AuthEnvelopedData.getInstance(ci.getContent()));
            byte[] der = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, aed).getEncoded("DER");
            return withBody(msg, der);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The transport message's headers with another CMS body. */
    private static byte[] withBody(byte[] msg, byte[] der) {
        return (TestMessages.headerBlock(msg) + Base64.getMimeEncoder().encodeToString(der) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] flip(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 0x01;
        return c;
    }

    /** The encrypted content key of a ktri or kari, flipped. */
    private static RecipientInfo flipEncryptedKey(RecipientInfo ri) {
        if (ri.getInfo() instanceof KeyTransRecipientInfo k) {
            return new RecipientInfo(new KeyTransRecipientInfo(k.getRecipientIdentifier(), k.getKeyEncryptionAlgorithm(),
                    new DEROctetString(flip(k.getEncryptedKey().getOctets()))));
        }
        KeyAgreeRecipientInfo k = (KeyAgreeRecipientInfo) ri.getInfo();
        RecipientEncryptedKey rek = RecipientEncryptedKey.getInstance(k.getRecipientEncryptedKeys().getObjectAt(0));
        return new RecipientInfo(new KeyAgreeRecipientInfo(k.getOriginator(), k.getUserKeyingMaterial(),
                k.getKeyEncryptionAlgorithm(), new DERSequence(new RecipientEncryptedKey(rek.getIdentifier(),
                new DEROctetString(flip(rek.getEncryptedKey().getOctets()))))));
    }

    /** The kari's originator key replaced (RSA entries unchanged). */
    private static UnaryOperator<RecipientInfo> originator(UnaryOperator<OriginatorPublicKey> change) {
        return ri -> {
            KeyAgreeRecipientInfo k = (KeyAgreeRecipientInfo) ri.getInfo();
            return new RecipientInfo(new KeyAgreeRecipientInfo(new OriginatorIdentifierOrKey(
                    change.apply(k.getOriginator().getOriginatorKey())), k.getUserKeyingMaterial(),
                    k.getKeyEncryptionAlgorithm(), k.getRecipientEncryptedKeys()));
        };
    }

    private static byte[] flipContent(byte[] msg) {
        return rebuild(msg, aed -> {
            EncryptedContentInfo eci = aed.getAuthEncryptedContentInfo();
            EncryptedContentInfo altered = new EncryptedContentInfo(eci.getContentType(),
                    eci.getContentEncryptionAlgorithm(), new DEROctetString(flip(eci.getEncryptedContent().getOctets())));
            return new AuthEnvelopedData(aed.getOriginatorInfo(), aed.getRecipientInfos(), altered, aed.getAuthAttrs(),
                    aed.getMac(), aed.getUnauthAttrs());
        });
    }

    private static byte[] flipMac(byte[] msg) {
        return rebuild(msg, aed -> new AuthEnvelopedData(aed.getOriginatorInfo(), aed.getRecipientInfos(),
                aed.getAuthEncryptedContentInfo(), aed.getAuthAttrs(),
                new DEROctetString(flip(aed.getMac().getOctets())), aed.getUnauthAttrs()));
    }

    /** The DER cut in the middle of the encrypted content (the recipient entries come first and stay whole). */
    private static byte[] truncate(byte[] msg) throws Exception {
        byte[] der = TestMessages.cmsOf(rebuild(msg, UnaryOperator.identity()));
        return withBody(msg, Arrays.copyOf(der, der.length / 2 + 400));
    }

    private static DecryptionFailure failure(SmimeReader reader, byte[] msg) {
        return assertThrows(SmimeDecryptionException.class, () -> reader.read(new ByteArrayInputStream(msg))).reason();
    }

    @Test
    void damagedMessagesFailWithTheSameReasonsForEccAsForRsa() throws Exception {
        byte[] rsa = kim(ALICE_RSA, BOB_RSA);
        byte[] ecc = kim(ALICE_EC, BOB_EC);
        BigInteger rsaSerial = BOB_RSA.certificate().getSerialNumber();
        BigInteger eccSerial = BOB_EC.certificate().getSerialNumber();
        // the certificate named in the message, but another key of the same kind configured with it
        SmimeReader wrongRsaKey = reader(new SmimeCredentials(PKI.user("other@kim.telematik").privateKey(), BOB_RSA.chain()));
        SmimeReader wrongEccKey = reader(new SmimeCredentials(CAROL_EC.privateKey(), BOB_EC.chain()));
        SmimeReader wrongEccKeySameCurve = reader(new SmimeCredentials(ALICE_EC.privateKey(), BOB_EC.chain()));
        SmimeReader notAddressed = reader(PKI.user("dave.ecc@kim.telematik", TestPki.Variant.EC));

        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(wrongRsaKey, rsa));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(wrongEccKey, ecc));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(wrongEccKeySameCurve, ecc));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(notAddressed, ecc));

        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(reader(BOB_RSA),
                tamperRecipient(rsa, rsaSerial, KimEccTest::flipEncryptedKey)));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(reader(BOB_EC),
                tamperRecipient(ecc, eccSerial, KimEccTest::flipEncryptedKey)));
        // an ephemeral key that is no point of the curve (invalid-curve attacks) or another point
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(reader(BOB_EC), tamperRecipient(ecc, eccSerial,
                originator(o -> new OriginatorPublicKey(o.getAlgorithm(), flip(o.getPublicKey().getBytes()))))));

        for (SmimeCredentials own : List.of(BOB_RSA, BOB_EC)) {
            byte[] msg = own == BOB_RSA ? rsa : ecc;
            assertEquals(DecryptionFailure.AUTHENTICATION_FAILED, failure(reader(own), flipContent(msg)), own.toString());
            assertEquals(DecryptionFailure.AUTHENTICATION_FAILED, failure(reader(own), flipMac(msg)), own.toString());
            assertEquals(DecryptionFailure.TRUNCATED, failure(reader(own), truncate(msg)), own.toString());
        }
        // the untouched messages still read: the damage, not the rebuilding, made them fail
        assertReadsValid(rebuild(ecc, UnaryOperator.identity()), BOB_EC);
        assertReadsValid(rebuild(rsa, UnaryOperator.identity()), BOB_RSA);
    }

    @Test
    void keyAgreementOutsideThePolicyIsRefusedForOurEntry() throws Exception {
        // SHA-1 KDF (OpenSSL's default) for our certificate
        byte[] sha1Kdf = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"),
                kari(BOB_EC.certificate(), CMSAlgorithm.ECDH_SHA1KDF));
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader(BOB_EC).read(new ByteArrayInputStream(sha1Kdf)));
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains(CMSAlgorithm.ECDH_SHA1KDF.getId()), e.getMessage());
        // an originator key that claims a curve outside the allow-list
        byte[] k1 = tamperRecipient(kim(ALICE_EC, BOB_EC), BOB_EC.certificate().getSerialNumber(), originator(
                o -> new OriginatorPublicKey(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        SECObjectIdentifiers.secp256k1), o.getPublicKey().getBytes())));
        e = assertThrows(SmimeDecryptionException.class, () -> reader(BOB_EC).read(new ByteArrayInputStream(k1)));
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("secp256k1"), e.getMessage());
        // a KV-Connect-only policy has no key agreement at all
        SmimeReader kvcPolicy = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(BOB_EC)
                .policy(SmimeProfile.KIM, AlgorithmPolicy.kim().withKeyAgreementAlgorithms(java.util.Set.of())).build();
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, failure(kvcPolicy, kim(ALICE_EC, BOB_EC)));
    }

    // ---- caps and finding our entry ----------------------------------------------------------------------------

    /** One key agreement entry with {@code count} unknown recipients with {@code key}, named by random key identifiers. */
    private static RecipientInfoGenerator unnamed(PublicKey key, int count) throws Exception {
        JceKeyAgreeRecipientInfoGenerator g = ephemeralGenerator(key, CMSAlgorithm.ECDH_SHA256KDF);
        for (int i = 0; i < count; i++) {
            byte[] ski = new byte[20];
            RANDOM.nextBytes(ski);
            g.addRecipient(ski, key);
        }
        return g;
    }

    /**
     * A key agreement entry for one unknown recipient with {@code key}, named by a random key identifier whose first
     * byte is fixed, from the shared {@code ephemeral} key pair. RecipientInfos is a DER SET OF, sorted by encoding:
     * entries of one ephemeral key differ first in the identifier, whose first byte decides the order the reader
     * tries them in.
     */
    private static RecipientInfoGenerator unnamed(PublicKey key, KeyPair ephemeral, int firstByte) throws Exception {
        byte[] ski = new byte[20];
        RANDOM.nextBytes(ski);
        ski[0] = (byte) firstByte;
        return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).setProvider(CertificateChecks.BC).addRecipient(ski, key);
    }

    @Test
    void keyAgreementEntriesCountAgainstTheRecipientCap() throws Exception {
        byte[] msg = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"), unnamed(CAROL_EC.certificate().getPublicKey(), 300),
                kari(BOB_EC.certificate(), CMSAlgorithm.ECDH_SHA256KDF));
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader(BOB_EC).read(new ByteArrayInputStream(msg)));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxRecipientInfos"), e.getMessage());
    }

    @Test
    void ourKeyAgreementEntryIsFoundBySubjectKeyIdentifierAndOnlyAFewUnnamedOnesAreTried() throws Exception {
        PublicKey bobKey = BOB_EC.certificate().getPublicKey();
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(bobKey).getKeyIdentifier();
        JceKeyAgreeRecipientInfoGenerator bySki = ephemeralGenerator(bobKey, CMSAlgorithm.ECDH_SHA256KDF);
        bySki.addRecipient(ski, bobKey);
        byte[] named = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"),
                unnamed(CAROL_EC.certificate().getPublicKey(), 20), bySki);
        try (DecryptedMessage m = reader(BOB_EC).read(new ByteArrayInputStream(named))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
        // our key behind 20 foreign entries, named by an unknown identifier (sorted last): not found by trial with a
        // certificate configured, found with the key alone
        KeyPair ephemeral = ephemeralKeyPair(bobKey);
        List<RecipientInfoGenerator> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(unnamed(ALICE_EC.certificate().getPublicKey(), ephemeral, 0x00));
        }
        entries.add(unnamed(bobKey, ephemeral, 0x7f));
        byte[] unnamedOurs = envelope(ALICE_EC, signedWrap(ALICE_EC, "SHA256withECDSA"),
                entries.toArray(RecipientInfoGenerator[]::new));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, failure(reader(BOB_EC), unnamedOurs));
        try (DecryptedMessage m = SmimeReader.builder().profiles(SmimeProfile.KIM).privateKey(BOB_EC.privateKey())
                .trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build().read(new ByteArrayInputStream(unnamedOurs))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
    }

    @Test
    void eccCredentialsFromThePinProtectedKeystoreSignAndDecrypt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // the JDK's PKCS#12 keystore hands out key and certificate objects of the JDK's providers, which cannot
        // compute on brainpool curves: the EC operations must still work with them
        var store = new io.github.camelkvconnect.smime.keys.PinProtectedKeyStore(dir.resolve("ecc.p12"));
        char[] pin = "123456".toCharArray();
        store.save(pin, io.github.camelkvconnect.smime.keys.PinProtectedKeyStore.DEFAULT_ALIAS, BOB_EC.privateKey(),
                BOB_EC.chain());
        SmimeCredentials loaded = store.load(pin);
        byte[] toBob = kim(ALICE_EC, BOB_EC);
        assertReadsValid(toBob, loaded);
        byte[] fromBob = kim(loaded, ALICE_EC);
        assertEquals(AlgorithmPolicy.ECDSA_WITH_SHA256, signerInfo(fromBob, ALICE_EC).getEncryptionAlgOID());
        assertReadsValid(fromBob, ALICE_EC);
    }

    @Test
    void rsaProviderDoesNotApplyToEcc() throws Exception {
        // RSA only, no elliptic curves at all: the EC operations must not be routed to it. (SunJCE alone, RSA encryption
        // without RSA signatures, is refused when the writer is built: RsaProviders.requireRsaServices.)
        java.security.Provider sun = new JdkRsaOnlyProvider();
        byte[] msg;
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE_EC)
                .certificateResolver(TestPki.resolver(BOB_EC, BOB_RSA)).trustAnchors(PKI.anchors()).rsaProvider(sun).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund ECC"), headers("alice.ecc@kim.telematik", "bob.ecc@kim.telematik, bob@kim.telematik"), out);
        msg = out.toByteArray();
        for (SmimeCredentials own : List.of(BOB_EC, BOB_RSA)) {
            try (DecryptedMessage m = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(own)
                    .trustAnchors(PKI.anchors()).intermediates(List.of(PKI.userCaCertificate())).rsaProvider(sun).build().read(new ByteArrayInputStream(msg))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            }
        }
    }

    /** SunRsaSign's RSA signatures and SunJCE's RSA cipher under one provider, and nothing else (no EC). */
    static final class JdkRsaOnlyProvider extends java.security.Provider {
        private static final long serialVersionUID = 1L;

        JdkRsaOnlyProvider() {
            super("KvcJdkRsaOnly", "1.0", "the JDK's RSA signatures and RSA cipher, no elliptic curves");
            for (String signature : List.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "RSASSA-PSS")) {
                copy("SunRsaSign", "Signature", signature);
            }
            copy("SunJCE", "Cipher", "RSA");
        }

        private void copy(String from, String type, String algorithm) {
            Service jdk = java.security.Security.getProvider(from).getService(type, algorithm);
            java.util.Map<String, String> attributes = new java.util.HashMap<>();
            for (String a : List.of("SupportedModes", "SupportedPaddings", "SupportedKeyClasses")) {
                if (jdk.getAttribute(a) != null) {
                    attributes.put(a, jdk.getAttribute(a));
                }
            }
            putService(new Service(this, type, algorithm, jdk.getClassName(), null, attributes) {
                @Override
                public Object newInstance(Object constructorParameter) throws java.security.NoSuchAlgorithmException {
                    return jdk.newInstance(constructorParameter);
                }
            });
        }
    }

    // ---- message building with Bouncy Castle directly ----------------------------------------------------------

    /** An opaque SignedData (message/rfc822 wrap of a small mail from the signer) as the signed-data MIME part. */
    static byte[] signedWrap(SmimeCredentials signer, String algorithm) throws Exception {
        return signedWrap(signer, algorithm, null);
    }

    /** As {@link #signedWrap(SmimeCredentials, String)}, with the SignerInfo digest forced to {@code contentDigest}. */
    static byte[] signedWrap(SmimeCredentials signer, String algorithm, ASN1ObjectIdentifier contentDigest) throws Exception {
        String from = CertificateChecks.emailOf(signer.certificate());
        // both of Bob's accounts (RSA and ECC card) are signed recipients, so either may read it
        byte[] inner = ("Content-Type: message/rfc822\r\n\r\nFrom: " + from + "\r\nTo: bob@kim.telematik, "
                        + "bob.ecc@kim.telematik\r\n"
                        + "Subject: Befund\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                        + "Befund ECC\r\n").getBytes(StandardCharsets.US_ASCII);
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        JcaSignerInfoGeneratorBuilder info = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build());
        if (contentDigest != null) {
            info.setContentDigest(new AlgorithmIdentifier(contentDigest));
        }
        g.addSignerInfoGenerator(info.build(new JcaContentSignerBuilder(algorithm).setProvider(CertificateChecks.BC).build(signer.privateKey()),
                        signer.certificate()));
        g.addCertificates(new JcaCertStore(List.of(signer.certificate())));
        // DER: the SignerInfo's signature value is then the last element of the encoding
        byte[] der = g.generate(new CMSProcessableByteArray(inner), true).getEncoded("DER");
        return ("MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** AuthEnvelopedData (AES-256-GCM) of {@code content} for the given entries, as a KIM transport message. */
    static byte[] envelope(byte[] content, RecipientInfoGenerator... recipients) throws Exception {
        return envelope(null, content, recipients);
    }

    /** As {@link #envelope(byte[], RecipientInfoGenerator...)} with the outer From of the signer ({@code null}: Alice). */
    static byte[] envelope(SmimeCredentials signer, byte[] content, RecipientInfoGenerator... recipients) throws Exception {
        CMSAuthEnvelopedDataGenerator g = new CMSAuthEnvelopedDataGenerator();
        for (RecipientInfoGenerator r : recipients) {
            g.addRecipientInfoGenerator(r);
        }
        byte[] der = g.generate(new CMSProcessableByteArray(content), (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                CMSAlgorithm.AES256_GCM).setProvider(CertificateChecks.BC).build()).getEncoded();
        Map<String, String> h = headers(signer == null ? "alice@kim.telematik" : CertificateChecks.emailOf(
                signer.certificate()), "bob@kim.telematik, bob.ecc@kim.telematik");
        h.put("Subject", "KOM-LE-Nachricht");
        return TestMessages.wrap(h, der, "authenticated-enveloped-data");
    }

    static RecipientInfoGenerator ktri(X509Certificate certificate) throws Exception {
        return new JceKeyTransRecipientInfoGenerator(certificate, KimProfileTest.oaep()).setProvider(CertificateChecks.BC);
    }

    static RecipientInfoGenerator kari(X509Certificate certificate, ASN1ObjectIdentifier scheme) throws Exception {
        X509Certificate bc = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().setProvider(CertificateChecks.BC)
                .getCertificate(new JcaX509CertificateHolder(certificate));
        return ephemeralGenerator(bc.getPublicKey(), scheme).addRecipient(bc);
    }

    private static KeyPair ephemeralKeyPair(PublicKey recipientKey) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", CertificateChecks.BC);
        kpg.initialize(new ECGenParameterSpec(EcKeys.curveOf(recipientKey)));
        return kpg.generateKeyPair();
    }

    private static JceKeyAgreeRecipientInfoGenerator ephemeralGenerator(PublicKey recipientKey, ASN1ObjectIdentifier scheme)
            throws Exception {
        KeyPair ephemeral = ephemeralKeyPair(recipientKey);
        return new JceKeyAgreeRecipientInfoGenerator(scheme, ephemeral.getPrivate(), ephemeral.getPublic(),
                CMSAlgorithm.AES256_WRAP).setProvider(CertificateChecks.BC);
    }
}
