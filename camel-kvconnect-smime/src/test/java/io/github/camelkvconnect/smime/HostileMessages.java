package io.github.camelkvconnect.smime;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DLSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Writes hostile transport messages to files, streamed (a 100 MiB header or a million parts never sit in memory),
 * encrypted for Bob and, where the attack is in the signature, signed by Alice, so that they reach the parsing behind
 * the decryption: anyone holding Bob's public certificate can produce them.
 */
final class HostileMessages {

    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] ENTITY = "Content-Type: text/plain\r\n\r\nBefund".getBytes(StandardCharsets.US_ASCII);

    private final SmimeCredentials alice;
    private final SmimeCredentials bob;

    HostileMessages(SmimeCredentials alice, SmimeCredentials bob) {
        this.alice = alice;
        this.bob = bob;
    }

    /** Writes plaintext into the stream it is given. */
    interface Plaintext {
        void write(OutputStream out) throws Exception;
    }

    /** A KV-Connect transport (EnvelopedData, AES-256-CBC, base64) whose plaintext {@code body} streams out. */
    void encrypted(Path file, Plaintext body) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            StringBuilder headers = new StringBuilder();
            routing().forEach((k, v) -> headers.append(k).append(": ").append(v).append("\r\n"));
            headers.append("MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; ")
                    .append("name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            out.write(headers.toString().getBytes(StandardCharsets.US_ASCII));
            CMSEnvelopedDataStreamGenerator g = new CMSEnvelopedDataStreamGenerator();
            g.addRecipientInfoGenerator(RsaOperations.DEFAULTS.recipientInfo(bob.certificate(), null));
            try (OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new KeepOpen(out));
                 OutputStream plain = new BufferedOutputStream(g.open(base64,
                         new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()), 1 << 16)) {
                body.write(plain);
            }
            out.write(CRLF);
        }
    }

    /** A transport message whose CMS body is {@code der} as it is (the envelope itself is the attack). */
    static void transport(Path file, byte[] der) throws Exception {
        Files.write(file, TestMessages.wrap(routing(), der, "enveloped-data"));
    }

    private static Map<String, String> routing() {
        return TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de");
    }

    /** A multipart/mixed entity of {@code leaves} minimal parts (delimiter and empty header block each). */
    static Plaintext parts(int leaves) {
        return out -> {
            out.write("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] part = "--p\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < leaves; i++) {
                out.write(part);
            }
            out.write("--p--\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** Multipart levels inside each other down to a leaf at depth {@code depth}. */
    static Plaintext nested(int depth) {
        return out -> {
            for (int i = 0; i < depth; i++) {
                out.write(("Content-Type: multipart/mixed; boundary=\"n" + i + "\"\r\n\r\n--n" + i + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.write(ENTITY);
            for (int i = depth - 1; i >= 0; i--) {
                out.write(("\r\n--n" + i + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    /** A multipart whose part carries one header field of {@code bytes} bytes. */
    static Plaintext hugeHeader(long bytes) {
        return out -> {
            out.write("Content-Type: multipart/mixed; boundary=\"h\"\r\n\r\n--h\r\nContent-Type: text/plain\r\nX-Huge: "
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 16];
            java.util.Arrays.fill(chunk, (byte) 'h');
            for (long written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
            out.write("\r\n\r\nbody\r\n--h--\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** A multipart/signed of a small entity whose signature part is the base64 of what {@code signature} writes. */
    static Plaintext multipartSigned(Plaintext signature) {
        return out -> {
            out.write(("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
                       + "boundary=\"s\"\r\n\r\n--s\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(ENTITY);
            out.write(("\r\n--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                       + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new KeepOpen(out))) {
                signature.write(base64);
            }
            out.write("\r\n--s--\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** An application/pkcs7-mime signed-data entity (opaque SignedData, as KIM signs) of what {@code der} writes. */
    static Plaintext opaqueSigned(Plaintext der) {
        return out -> {
            out.write(("Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                       + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new KeepOpen(out))) {
                der.write(base64);
            }
            out.write(CRLF);
        };
    }

    /** {@code levels} SEQUENCEs of indefinite length inside each other (BER), closed properly. */
    static Plaintext deepAsn1(int levels) {
        return out -> {
            for (int i = 0; i < levels; i++) {
                out.write(new byte[] { 0x30, (byte) 0x80 });
            }
            for (int i = 0; i < levels; i++) {
                out.write(new byte[] { 0, 0 });
            }
        };
    }

    /** Alice's real SignedData of the small entity (opaque or detached), with her chain. */
    SignedData signedData(boolean encapsulate) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(alice.privateKey()), alice.certificate()));
        g.addCertificates(new JcaCertStore(alice.chain()));
        return SignedData.getInstance(g.generate(new CMSProcessableByteArray(ENTITY), encapsulate).toASN1Structure()
                .getContent());
    }

    /**
     * Catalogue P08: Alice's SignedData with her certificate {@code count} times, written with indefinite lengths so
     * that the certificates stream out one by one.
     */
    Plaintext manyCertificates(boolean encapsulate, int count) throws Exception {
        SignedData real = signedData(encapsulate);
        byte[] certificate = alice.certificate().getEncoded();
        return out -> {
            out.write(new byte[] { 0x30, (byte) 0x80 });
            out.write(CMSObjectIdentifiers.signedData.getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80, 0x30, (byte) 0x80 });
            out.write(real.getVersion().getEncoded(ASN1Encoding.DER));
            out.write(real.getDigestAlgorithms().getEncoded(ASN1Encoding.DER));
            out.write(real.getEncapContentInfo().getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80 });
            for (int i = 0; i < count; i++) {
                out.write(certificate);
            }
            out.write(new byte[] { 0, 0 });
            out.write(real.getSignerInfos().getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { 0, 0, 0, 0, 0, 0 });
        };
    }

    /**
     * Alice's SignedData whose certificates set holds {@code levels} SEQUENCEs of indefinite length inside each other,
     * streamed: the nesting sits where a parser loads whole elements.
     */
    Plaintext deepInSignedData(boolean encapsulate, int levels) throws Exception {
        SignedData real = signedData(encapsulate);
        return out -> {
            out.write(new byte[] { 0x30, (byte) 0x80 });
            out.write(CMSObjectIdentifiers.signedData.getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80, 0x30, (byte) 0x80 });
            out.write(real.getVersion().getEncoded(ASN1Encoding.DER));
            out.write(real.getDigestAlgorithms().getEncoded(ASN1Encoding.DER));
            out.write(real.getEncapContentInfo().getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80 });
            deepAsn1(levels).write(out);
            out.write(new byte[] { 0, 0 });
            out.write(real.getSignerInfos().getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { 0, 0, 0, 0, 0, 0 });
        };
    }

    /**
     * Catalogue P02: Alice's SignedData (definite lengths) in which one certificate is replaced by an element of the
     * same size whose length field claims {@code claimedLength} ({@code lengthOctets} octets: 4 for 2^31, 8 for 2^63).
     */
    byte[] hugeLength(boolean encapsulate, int lengthOctets, long claimedLength) throws Exception {
        SignedData real = signedData(encapsulate);
        byte[] marker = new byte[40];
        java.util.Arrays.fill(marker, (byte) 0x5a);
        ASN1EncodableVector certificates = new ASN1EncodableVector();
        certificates.add(new DEROctetString(marker));
        for (ASN1Encodable c : real.getCertificates()) {
            certificates.add(c);
        }
        byte[] der = new ContentInfo(CMSObjectIdentifiers.signedData, new SignedData(real.getDigestAlgorithms(),
                real.getEncapContentInfo(), new DLSet(certificates), null, real.getSignerInfos())).getEncoded(ASN1Encoding.DL);
        return replaceMarker(der, marker, lengthOctets, claimedLength);
    }

    /**
     * Catalogue P02 on the envelope itself: a real EnvelopedData for Bob (definite lengths) with an extra RecipientInfo
     * whose length field claims {@code claimedLength}.
     */
    byte[] envelopeWithHugeLength(int lengthOctets, long claimedLength) throws Exception {
        byte[] real = TestMessages.cmsOf(TestMessages.transport(routing(), ENTITY, bob.certificate()));
        EnvelopedData enveloped = EnvelopedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(real))
                .getContent());
        byte[] marker = new byte[40];
        java.util.Arrays.fill(marker, (byte) 0x5a);
        ASN1EncodableVector recipients = new ASN1EncodableVector();
        recipients.add(new DEROctetString(marker));
        for (ASN1Encodable r : enveloped.getRecipientInfos()) {
            recipients.add(r);
        }
        // built as a plain sequence: EnvelopedData's constructor would parse the marker as a RecipientInfo
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(enveloped.getVersion());
        fields.add(new DLSet(recipients));
        fields.add(enveloped.getEncryptedContentInfo());
        byte[] der = new ContentInfo(CMSObjectIdentifiers.envelopedData, new DLSequence(fields)).getEncoded(ASN1Encoding.DL);
        return replaceMarker(der, marker, lengthOctets, claimedLength);
    }

    /** Replaces the OCTET STRING holding {@code marker} by a SEQUENCE header claiming a huge length, same size. */
    private static byte[] replaceMarker(byte[] der, byte[] marker, int lengthOctets, long claimedLength) {
        ByteArrayOutputStream placeholder = new ByteArrayOutputStream();
        placeholder.write(0x04);
        placeholder.write(marker.length);
        placeholder.writeBytes(marker);
        byte[] find = placeholder.toByteArray();
        int at = indexOf(der, find);
        if (at < 0) {
            throw new IllegalStateException("marker not found");
        }
        byte[] result = der.clone();
        int i = at;
        result[i++] = 0x30;
        result[i++] = (byte) (0x80 | lengthOctets);
        for (int k = lengthOctets - 1; k >= 0; k--) {
            result[i++] = (byte) (claimedLength >>> (8 * k));
        }
        while (i < at + find.length) {
            result[i++] = 0x01;
        }
        return result;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Catalogue P02, indefinite length never terminated: an opaque SignedData whose certificates set opens an
     * indefinite-length element and then carries {@code junkBytes} of empty OCTET STRINGs up to the end.
     */
    Plaintext unterminated(long junkBytes) throws Exception {
        SignedData real = signedData(true);
        return out -> {
            out.write(new byte[] { 0x30, (byte) 0x80 });
            out.write(CMSObjectIdentifiers.signedData.getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80, 0x30, (byte) 0x80 });
            out.write(real.getVersion().getEncoded(ASN1Encoding.DER));
            out.write(real.getDigestAlgorithms().getEncoded(ASN1Encoding.DER));
            out.write(real.getEncapContentInfo().getEncoded(ASN1Encoding.DER));
            out.write(new byte[] { (byte) 0xa0, (byte) 0x80, 0x30, (byte) 0x80 });
            byte[] junk = new byte[1 << 16];
            for (int i = 0; i < junk.length; i += 2) {
                junk[i] = 0x04;
            }
            for (long written = 0; written < junkBytes; written += junk.length) {
                out.write(junk);
            }
        };
    }

    /** Lets a wrapping stream (base64 encoder) be closed to finish it without closing the file under it. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
