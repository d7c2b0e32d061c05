package io.github.camelkvconnect.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target Z2: raw bytes → the CMS structures the module parses (ContentInfo, EnvelopedData, AuthEnvelopedData,
 * SignedData both opaque and detached). Each input is the DER of
 * <ol>
 * <li>the S/MIME body of an application/pkcs7-mime transport message (ContentInfo → EnvelopedData /
 * AuthEnvelopedData / SignedData / refused types) and</li>
 * <li>the signature part of a multipart/signed (detached SignedData, ASN.1 depth check),</li>
 * </ol>
 * both through {@link SmimeReader} under the reader's contract ({@link FuzzHarness#read(byte[])}), and
 * <ol start="3">
 * <li>the same Bouncy Castle parser calls the reader makes, directly, so that the parsers' own failure modes are
 * visible: only {@link CMSException}, {@link IOException} or Bouncy Castle's documented "malformed encoding" runtime
 * exceptions ({@link IllegalArgumentException}, {@link IllegalStateException}) are expected, plus the
 * {@code ClassCastException} of its unchecked casts (see {@link #parseDirectly}). A {@code NullPointerException},
 * index exception, arithmetic exception or any {@code Error} is a finding
 * (the reader catches runtime exceptions around these calls, so for the module it would be a typed failure, but
 * it marks input the parser does not validate).</li>
 * </ol>
 * Seeds: the CMS structures of valid messages of both profiles, made at test time.
 */
class CmsParsersFuzzTest {

    private static final FuzzHarness HARNESS = new FuzzHarness("cms");

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5m")
    void cmsStructures(byte[] der) {
        HARNESS.read(FuzzHarness.pkcs7Transport(der));
        HARNESS.read(FuzzHarness.detachedSignatureTransport(der));
        parseDirectly(der);
    }

    /** The parser calls of {@code SmimeReader} in the same order, with the strict oracle. */
    static void parseDirectly(byte[] der) {
        try {
            ASN1Encodable top = new ASN1StreamParser(new ByteArrayInputStream(der)).readObject();
            if (!(top instanceof ASN1SequenceParser seq)) {
                return;
            }
            var type = new ContentInfoParser(seq).getContentType();
            if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                CMSEnvelopedDataParser p = new CMSEnvelopedDataParser(der);
                p.getEncryptionAlgOID();
                recipients(p.getRecipientInfos().getRecipients());
            } else if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                CMSAuthEnvelopedDataParser p = new CMSAuthEnvelopedDataParser(der);
                p.getEncAlgOID();
                GCMParameters.getInstance(p.getEncAlgParams());
                recipients(p.getRecipientInfos().getRecipients());
            } else if (CMSObjectIdentifiers.signedData.equals(type)) {
                CMSSignedDataParser p = new CMSSignedDataParser(BulkCrypto.digests(), der);
                CMSTypedStream content = p.getSignedContent();
                if (content != null) {
                    try (InputStream in = content.getContentStream()) {
                        in.transferTo(OutputStreamSink.INSTANCE);
                    }
                }
                signers(p.getSignerInfos().getSigners(), p.getCertificates().getMatches(null));
                CMSSignedData detached = new CMSSignedData(new CMSProcessableByteArray(new byte[] { 'x' }), der);
                signers(detached.getSignerInfos().getSigners(), detached.getCertificates().getMatches(null));
            }
        } catch (CMSException | IOException | IllegalArgumentException | IllegalStateException expected) {
            // malformed input reported the documented way
        } catch (ClassCastException known) {
            // Bouncy Castle 1.87's streaming parsers cast the next element to the type the structure prescribes
            // without checking (ContentInfoParser: a tagged object where the content type OID belongs, seed
            // contentinfo-tagged-object-instead-of-type-oid). The reader catches runtime exceptions around every
            // such call (the same input passes the reader above as CORRUPT_DATA), so it is tolerated here; anything
            // else unchecked is still a finding.
        } catch (Exception e) {
            throw new AssertionError("Bouncy Castle parser failed unexpectedly: " + e.getClass().getName(), e);
        }
    }

    private static void recipients(java.util.Collection<RecipientInformation> all) {
        for (RecipientInformation r : all) {
            r.getRID();
            r.getKeyEncryptionAlgOID();
        }
    }

    private static void signers(java.util.Collection<SignerInformation> all, java.util.Collection<X509CertificateHolder> certs) {
        for (SignerInformation si : all) {
            si.getSID();
            si.getEncryptionAlgOID();
            si.getDigestAlgOID();
            si.getSignedAttributes();
        }
        for (X509CertificateHolder c : certs) {
            c.getSubject();
        }
    }

    /** Discards what is written. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    static Stream<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        List<byte[]> valid = FuzzHarness.validTransports();
        for (byte[] message : valid) {
            byte[] der = TestMessages.cmsOf(message);
            seeds.add(der);
            seeds.add(Arrays.copyOf(der, der.length / 2));
        }
        // the SignedData inside: detached (KV-Connect) and opaque (KIM)
        byte[] kvPlain = TestMessages.plaintextOf(valid.get(SmimeProfile.KVCONNECT.ordinal()), FuzzHarness.BOB);
        seeds.add(signaturePartOf(kvPlain));
        byte[] kimPlain = FuzzHarness.kimPlaintextOf(valid.get(SmimeProfile.KIM.ordinal()));
        // KIM writes the SignedData with Content-Transfer-Encoding binary
        int body = new String(kimPlain, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        seeds.add(Arrays.copyOfRange(kimPlain, body, kimPlain.length));
        return seeds.stream();
    }

    /** The decoded application/pkcs7-signature part of a multipart/signed. */
    private static byte[] signaturePartOf(byte[] multipartSigned) {
        String s = new String(multipartSigned, java.nio.charset.StandardCharsets.ISO_8859_1);
        int start = s.indexOf("\r\n\r\n", s.indexOf("application/pkcs7-signature", 200)) + 4;
        int end = s.lastIndexOf("\r\n--");
        return java.util.Base64.getMimeDecoder().decode(s.substring(start, end).strip());
    }
}
