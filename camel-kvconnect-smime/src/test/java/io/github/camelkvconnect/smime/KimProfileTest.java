package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.junit.jupiter.api.Test;

/** KIM profile: the gematik sample and an own round trip, with the profile's algorithm restrictions. */
class KimProfileTest {

    private static final Path DIR = TestPki.interopDir().resolve("kim-gematik-smime-profile");
    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kim.telematik");
    private static final SmimeCredentials BOB = PKI.user("bob@kim.telematik");

    /** Key, certificate and CA certificates of one gematik test recipient, read from its zip. */
    record GematikKeys(SmimeCredentials credentials, List<X509Certificate> cas) {
    }

    static GematikKeys gematik(String zip) throws Exception {
        KeyStore p12 = null;
        String password = null;
        List<X509Certificate> cas = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(DIR.resolve(zip)))) {
            ZipEntry e;
            List<byte[]> p12Bytes = new ArrayList<>();
            while ((e = in.getNextEntry()) != null) {
                byte[] data = in.readAllBytes();
                if (e.getName().endsWith(".p12")) {
                    p12Bytes.add(data);
                } else if (e.getName().equals("password.txt")) {
                    password = new String(data, StandardCharsets.US_ASCII).strip();
                } else if (e.getName().startsWith("GEM.") && e.getName().endsWith(".crt")) {
                    cas.add((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(data)));
                }
            }
            p12 = KeyStore.getInstance("PKCS12");
            p12.load(new ByteArrayInputStream(p12Bytes.get(0)), password.toCharArray());
        }
        String alias = p12.aliases().nextElement();
        PrivateKey key = (PrivateKey) p12.getKey(alias, password.toCharArray());
        X509Certificate cert = (X509Certificate) p12.getCertificate(alias);
        return new GematikKeys(new SmimeCredentials(key, List.of(cert)), cas);
    }

    private static byte[] innerMailOfSample() throws Exception {
        byte[] wrap = Files.readAllBytes(DIR.resolve("inputEmail.txt.01.rfc822wrap"));
        String s = new String(wrap, StandardCharsets.ISO_8859_1);
        return Arrays.copyOfRange(wrap, s.indexOf("\r\n\r\n") + 4, wrap.length);
    }

    @Test
    void gematikSampleDecryptsWithBothRecipientsKeysToTheWrappedMail() throws Exception {
        for (String zip : new String[] { "recipientAkeys.zip", "recipientBkeys.zip" }) {
            GematikKeys keys = gematik(zip);
            SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(keys.credentials())
                    .trustAnchors(keys.cas()).validationTime(Instant.parse("2020-06-20T12:00:00Z")).build();
            try (DecryptedMessage m = reader.read(DIR.resolve("inputEmail.txt.05.encryptedwrap"))) {
                assertEquals(SmimeProfile.KIM, m.profile());
                assertEquals(1, m.layerCount());
                assertEquals("KOM-LE-Nachricht", m.outerHeaders().getHeader("Subject", null));
                // The decrypted layer is exactly the sample's .03.signedwrap ...
                assertArrayEquals(Files.readAllBytes(DIR.resolve("inputEmail.txt.03.signedwrap")),
                        Files.readAllBytes(m.entityFile()), zip);
                // ... whose binary SignedData the sample's tool corrupted by converting every CR and LF to CRLF
                // (.02.signedcms, 3138 bytes, becomes 3180 bytes). It is no longer DER, so the signature cannot be
                // checked: the message is delivered, flagged BAD_SIGNATURE, never silently dropped or marked VALID.
                assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status());
                assertTrue(m.verification().detail().contains("not valid DER"));
            }
            // and with the private key alone (trial decryption)
            SmimeReader keyOnly = SmimeReader.builder().profiles(SmimeProfile.KIM)
                    .privateKey(keys.credentials().privateKey()).build();
            try (DecryptedMessage m = keyOnly.read(DIR.resolve("inputEmail.txt.05.encryptedwrap"))) {
                assertArrayEquals(Files.readAllBytes(DIR.resolve("inputEmail.txt.03.signedwrap")),
                        Files.readAllBytes(m.entityFile()));
            }
        }
    }

    /**
     * The sample's uncorrupted SignedData (.02.signedcms), wrapped as the KIM profile does (signed-data inside
     * AuthEnvelopedData), encrypted with our own generator for recipient A.
     */
    private static byte[] sampleSignedDataEncryptedFor(GematikKeys keys) throws Exception {
        byte[] signedWrap = ("MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; "
                             + "name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                             + java.util.Base64.getMimeEncoder().encodeToString(
                                     Files.readAllBytes(DIR.resolve("inputEmail.txt.02.signedcms"))) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator g = new org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator();
        g.addRecipientInfoGenerator(new org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator(
                keys.credentials().certificate(), oaep()).setProvider(CertificateChecks.BC));
        byte[] der = g.generate(new org.bouncycastle.cms.CMSProcessableByteArray(signedWrap),
                (org.bouncycastle.operator.OutputAEADEncryptor) new org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder(
                        org.bouncycastle.cms.CMSAlgorithm.AES256_GCM).setProvider(CertificateChecks.BC).build()).getEncoded();
        return TestMessages.wrap(java.util.Map.of("From", "mustersender@komle.de", "Subject", "KOM-LE-Nachricht"),
                der, "authenticated-enveloped-data");
    }

    /** gematik's SMC-B test CA that issued the sample's signer; public, but not part of the sample (README there). */
    private static X509Certificate gematikSmcbCa24() throws Exception {
        try (var in = KimProfileTest.class.getResourceAsStream("/gematik/GEM.SMCB-CA24-TEST-ONLY.pem")) {
            X509Certificate ca = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            assertEquals("751D1E401C6303AA7F13FF28702441403" + "1BB37997950395E1840B28B6D235FE2",
                    org.bouncycastle.util.encoders.Hex.toHexString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())).toUpperCase());
            return ca;
        }
    }

    @Test
    void gematikSignedDataVerifiesAtItsDateWithTheSmcbCaAsIntermediate() throws Exception {
        GematikKeys keys = gematik("recipientAkeys.zip");
        SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(keys.credentials())
                .trustAnchors(keys.cas()).intermediates(List.of(gematikSmcbCa24()))
                .validationTime(Instant.parse("2020-06-20T12:00:00Z")).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(sampleSignedDataEncryptedFor(keys)))) {
            assertArrayEquals(innerMailOfSample(), Files.readAllBytes(m.entityFile()));
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
    }

    @Test
    void gematikSignedDataItselfVerifiesAtItsDateToTheWrappedMail() throws Exception {
        // the reader unwraps the sample's SignedData to .01.rfc822wrap's inner mail
        GematikKeys keys = gematik("recipientAkeys.zip");
        byte[] msg = sampleSignedDataEncryptedFor(keys);
        SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(keys.credentials())
                .trustAnchors(keys.cas()).validationTime(Instant.parse("2020-06-20T12:00:00Z")).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(msg))) {
            assertArrayEquals(innerMailOfSample(), Files.readAllBytes(m.entityFile()));
            assertEquals("Saying Hello", m.innerHeaders().getHeader("Subject", null));
            // The RSASSA-PSS signature is correct (else BAD_SIGNATURE); the signer's SMC-B CA (GEM.SMCB-CA24) is not
            // part of the sample, so the chain cannot reach the supplied anchors.
            assertEquals(VerificationStatus.UNTRUSTED_CHAIN, m.verification().status(), m.verification().detail());
            assertTrue(m.verification().detail().contains("SMCB-CA24"), m.verification().detail());
        }
    }

    static org.bouncycastle.asn1.x509.AlgorithmIdentifier oaep() {
        org.bouncycastle.asn1.x509.AlgorithmIdentifier sha256 = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
        return new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSAES_OAEP,
                new org.bouncycastle.asn1.pkcs.RSAESOAEPparams(sha256, new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_mgf1, sha256),
                        org.bouncycastle.asn1.pkcs.RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    }

    @Test
    void gematikSampleIsRefusedByAKvConnectOnlyReaderWithoutThePolicy() throws Exception {
        GematikKeys keys = gematik("recipientAkeys.zip");
        SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT).credentials(keys.credentials())
                .policy(SmimeProfile.KVCONNECT, AlgorithmPolicy.kvConnect().withEnvelopeContentTypes(
                        java.util.Set.of(AlgorithmPolicy.ENVELOPED_DATA))).build();
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, assertThrows(SmimeDecryptionException.class,
                () -> reader.read(DIR.resolve("inputEmail.txt.05.encryptedwrap"))).reason());
    }

    /** Own KIM message from {@code sender} to Bob, read by Bob. */
    private static VerificationStatus kimSignedBy(SmimeCredentials sender, String address) throws Exception {
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(sender)
                .certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Hallo KIM"), headers(address, "bob@kim.telematik"), out);
        try (DecryptedMessage m = kimReader(BOB).read(new ByteArrayInputStream(out.toByteArray()))) {
            return m.verification().status();
        }
    }

    @Test
    void kimSignerWithoutExtendedKeyUsageIsValidAsSmcbSignatureCertificatesHaveNone() throws Exception {
        // SMC-B C.HCI.OSIG certificates carry no extended key usage and no e-mail address; RFC 8550: absent EKU does
        // not restrict the key, and the KIM address is bound by the directory
        assertEquals(VerificationStatus.VALID,
                kimSignedBy(PKI.user("osig@kim.telematik", TestPki.Variant.SMCB_OSIG), "osig@kim.telematik"));
        // but only for an SMC-B signature certificate (policy oid_smc_b_osig): the sender picks the envelope, so a
        // message read under KIM must not relax the checks for any other certificate under the anchors
        assertEquals(VerificationStatus.WRONG_KEY_USAGE,
                kimSignedBy(PKI.user("noeku@kim.telematik", TestPki.Variant.NO_EKU), "noeku@kim.telematik"));
        assertEquals(VerificationStatus.SIGNER_ADDRESS_MISMATCH,
                kimSignedBy(PKI.user("noemail@kim.telematik", TestPki.Variant.NO_EMAIL), "noemail@kim.telematik"));
        // an extended key usage that is present must still allow emailProtection
        assertEquals(VerificationStatus.WRONG_KEY_USAGE, kimSignedBy(
                PKI.user("tls@kim.telematik", TestPki.Variant.EKU_WITHOUT_EMAIL_PROTECTION), "tls@kim.telematik"));
    }

    private static byte[] kimMessage() throws Exception {
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE)
                .certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Hallo KIM"), headers("alice@kim.telematik", "bob@kim.telematik"), out);
        return out.toByteArray();
    }

    private static SmimeReader kimReader(SmimeCredentials own) {
        return SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(own).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build();
    }

    @Test
    void ownKimRoundTrip() throws Exception {
        byte[] msg = kimMessage();
        String head = TestMessages.headerBlock(msg);
        assertTrue(head.contains("Subject: KOM-LE-Nachricht\r\n"), head);
        assertTrue(head.contains("X-KOM-LE-Version: 1.5\r\n"));
        assertTrue(head.contains("smime-type=authenticated-enveloped-data"));
        for (SmimeCredentials own : new SmimeCredentials[] { BOB, ALICE }) {
            try (DecryptedMessage m = kimReader(own).read(new ByteArrayInputStream(msg))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
                assertEquals("Arztbrief", m.innerHeaders().getHeader("Subject", null));
                assertEquals("Arztbrief", m.routingHeaders().get("subject"));
                assertTrue(new String(Files.readAllBytes(m.entityFile()), StandardCharsets.UTF_8).contains("Hallo KIM"));
            }
        }
    }

    @Test
    void kimMessageCarriesRecipientEmailsAndUsesOaepGcmAndPss() throws Exception {
        byte[] der = TestMessages.cmsOf(kimMessage());
        CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(der);
        assertEquals(AlgorithmPolicy.AES256_GCM, parser.getEncAlgOID());
        List<String> ktri = new ArrayList<>();
        RecipientInformation bobs = null;
        for (RecipientInformation r : parser.getRecipientInfos().getRecipients()) {
            ktri.add(r.getKeyEncryptionAlgOID());
            if (r.getRID().match(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(BOB.certificate()))) {
                bobs = r;
            }
        }
        assertEquals(List.of(AlgorithmPolicy.RSA_OAEP, AlgorithmPolicy.RSA_OAEP), ktri);
        byte[] inner = bobs.getContent(new JceKeyTransAuthEnvelopedRecipient(BOB.privateKey()).setProvider(CertificateChecks.BC));
        Attribute unauth = parser.getUnauthAttrs().get(new ASN1ObjectIdentifier(SmimeWriter.RECIPIENT_EMAILS_OID));
        assertNotNull(unauth, "recipient-emails in unauthAttrs");
        assertEquals("bob@kim.telematik", addressOf(unauth, 0));
        assertEquals("alice@kim.telematik", addressOf(unauth, 1));

        String s = new String(inner, StandardCharsets.ISO_8859_1);
        byte[] signed = Arrays.copyOfRange(inner, s.indexOf("\r\n\r\n") + 4, inner.length);
        SignerInformation si = new CMSSignedData(signed).getSignerInfos().getSigners().iterator().next();
        assertEquals(AlgorithmPolicy.RSASSA_PSS, si.getEncryptionAlgOID());
        assertNotNull(si.getSignedAttributes().get(new ASN1ObjectIdentifier(SmimeWriter.RECIPIENT_EMAILS_OID)));
    }

    private static String addressOf(Attribute attribute, int index) {
        ASN1Set emails = (ASN1Set) attribute.getAttrValues().getObjectAt(0);
        return DERIA5String.getInstance(((ASN1Sequence) emails.getObjectAt(index)).getObjectAt(0)).getString();
    }

    @Test
    void bccRecipientsCanReadButAreNamedNowhere() throws Exception {
        SmimeCredentials carol = PKI.user("carol@kim.telematik");
        SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE)
                .certificateResolver(TestPki.resolver(BOB, carol)).trustAnchors(PKI.anchors()).build();
        java.util.Map<String, String> h = headers("alice@kim.telematik", "bob@kim.telematik");
        h.put("Bcc", "carol@kim.telematik");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("geheim"), h, List.of("bob@kim.telematik", "carol@kim.telematik"), out);
        assertTrue(!TestMessages.headerBlock(out.toByteArray()).contains("carol"));
        try (DecryptedMessage m = kimReader(carol).read(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
            assertEquals(null, m.innerHeaders().getHeader("Bcc", null));
        }
    }

    @Test
    void envelopedDataIsNotAllowedUnderKim() throws Exception {
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("x"), headers("alice@kim.telematik", "bob@kim.telematik"), out);
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, assertThrows(SmimeDecryptionException.class,
                () -> kimReader(BOB).read(new ByteArrayInputStream(out.toByteArray()))).reason());
    }

    @Test
    void shortGcmTagIsRejected() throws Exception {
        byte[] der = TestMessages.cmsOf(kimMessage());
        // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING (12), aes-ICVlen INTEGER 16 } → claim a 96-bit tag
        byte[] gcmOid = { 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2e };
        int at = indexOf(der, gcmOid);
        assertTrue(at > 0);
        int icv = at + gcmOid.length + 2 + 2 + 12; // SEQUENCE header, OCTET STRING header, nonce
        assertEquals(0x02, der[icv]);
        assertEquals(0x10, der[icv + 2]);
        der[icv + 2] = 0x0c;
        byte[] msg = TestMessages.wrap(headers("alice@kim.telematik", "bob@kim.telematik"), der,
                "authenticated-enveloped-data");
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> kimReader(BOB).read(new ByteArrayInputStream(msg)));
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("96 bits"));
    }

    @Test
    void alteredGcmCiphertextFailsAuthentication() throws Exception {
        byte[] der = TestMessages.cmsOf(kimMessage());
        der[der.length - 300] ^= 0x01;
        byte[] msg = TestMessages.wrap(headers("alice@kim.telematik", "bob@kim.telematik"), der,
                "authenticated-enveloped-data");
        assertEquals(DecryptionFailure.AUTHENTICATION_FAILED, assertThrows(SmimeDecryptionException.class,
                () -> kimReader(BOB).read(new ByteArrayInputStream(msg))).reason());
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
