package io.github.camelkvconnect.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;

/**
 * What the fuzz targets share: one reader with keys generated once per JVM (the recipient Bob of the test PKI, both
 * profiles accepted), a private work directory, the encryption of attacker-chosen plaintext to Bob (anyone holding his
 * public certificate can do that, so everything behind the decryption is attacker-controlled too), and the oracle.
 * <p>
 * The oracle is the reader's contract: a hostile message yields a {@link VerificationResult} or a
 * {@link SmimeDecryptionException}; nothing else escapes (no {@code Error}, no unchecked exception, no
 * {@code IOException} for malformed input: that would make a caller retry a message that can never be read), and no
 * temporary file survives the read.
 */
final class FuzzHarness {

    static final TestPki PKI = TestPki.shared();
    static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    private static final AlgorithmIdentifier OAEP_SHA256;

    static {
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
        OAEP_SHA256 = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new RSAESOAEPparams(sha256,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    }

    private final Path work;
    private final SmimeReader reader;

    FuzzHarness(String name) {
        try {
            work = Files.createTempDirectory("kvc-fuzz-" + name + "-");
            work.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT, SmimeProfile.KIM).credentials(BOB)
                .trustAnchors(PKI.anchors()).workDirectory(work).build();
    }

    /** Reads one transport message under the contract; an {@link AssertionError} names a violation. */
    void read(byte[] transport) {
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(transport))) {
            if (m.verification() == null || m.verification().status() == null) {
                throw new AssertionError("a read message must carry a verification result");
            }
        } catch (SmimeDecryptionException expected) {
            if (expected.reason() == null) {
                throw new AssertionError("decryption failure without reason", expected);
            }
        } catch (SmimeException | IOException | RuntimeException e) {
            throw new AssertionError("contract violated: " + e.getClass().getName() + " escaped the reader", e);
        }
        try (var files = Files.list(work)) {
            List<Path> left = files.toList();
            if (!left.isEmpty()) {
                left.forEach(TempFiles::deleteQuietly);
                throw new AssertionError("temporary files left behind: " + left);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The KV-Connect envelope (EnvelopedData, AES-256-CBC, RSA PKCS#1 v1.5) of {@code plaintext} for Bob. */
    static byte[] kvConnectTransport(byte[] plaintext) {
        try {
            CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
            g.addRecipientInfoGenerator(RsaOperations.DEFAULTS.recipientInfo(BOB.certificate(), null));
            byte[] der = g.generate(new CMSProcessableByteArray(plaintext),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
            return TestMessages.wrap(routing(), der, "enveloped-data");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The KIM envelope (AuthEnvelopedData, AES-256-GCM, RSAES-OAEP SHA-256) of {@code plaintext} for Bob. */
    static byte[] kimTransport(byte[] plaintext) {
        try {
            CMSAuthEnvelopedDataGenerator g = new CMSAuthEnvelopedDataGenerator();
            g.addRecipientInfoGenerator(RsaOperations.DEFAULTS.recipientInfo(BOB.certificate(), OAEP_SHA256));
            OutputAEADEncryptor gcm = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                    .setProvider(CertificateChecks.BC).build();
            byte[] der = g.generate(new CMSProcessableByteArray(plaintext), gcm).getEncoded();
            return TestMessages.wrap(routing(), der, "authEnveloped-data");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code der} as the base64 body of an application/pkcs7-mime transport message. */
    static byte[] pkcs7Transport(byte[] der) {
        try {
            return TestMessages.wrap(routing(), der, "enveloped-data");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A top-level multipart/signed whose signature part is {@code der} (base64) over a small text entity. */
    static byte[] detachedSignatureTransport(byte[] der) {
        String b = "sig-boundary";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("From: alice@kv-safenet.de\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; "
                        + "protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"" + b + "\"\r\n\r\n--" + b
                        + "\r\nContent-Type: text/plain\r\n\r\nBefund\r\n--" + b
                        + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(java.util.Base64.getMimeEncoder(76, new byte[] { '\r', '\n' }).encode(der));
        out.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The plaintext of a KIM transport message for Bob (AuthEnvelopedData opened with BC directly). */
    static byte[] kimPlaintextOf(byte[] transport) throws Exception {
        org.bouncycastle.cms.CMSAuthEnvelopedData data = new org.bouncycastle.cms.CMSAuthEnvelopedData(TestMessages.cmsOf(transport));
        org.bouncycastle.cms.RecipientInformation bobs = data.getRecipientInfos().get(
                new org.bouncycastle.cms.jcajce.JceKeyTransRecipientId(BOB.certificate()));
        return bobs.getContent(new org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient(BOB.privateKey())
                .setProvider(CertificateChecks.BC));
    }

    private static Map<String, String> routing() {
        return TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de");
    }

    /** Valid messages of both profiles, written by the module itself (the seeds that reach deepest). */
    static List<byte[]> validTransports() throws Exception {
        List<byte[]> result = new java.util.ArrayList<>();
        for (SmimeProfile profile : SmimeProfile.values()) {
            SmimeWriter writer = SmimeWriter.builder().profile(profile).credentials(ALICE)
                    .certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors()).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(TestMessages.businessEntity("Befund"), routing(), out);
            result.add(out.toByteArray());
        }
        return result;
    }
}
