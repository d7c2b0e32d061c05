package io.github.camelkvconnect.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Builds (and takes apart) test messages, including deliberately broken ones, with Bouncy Castle directly. */
public final class TestMessages {

    private static final byte[] CRLF = { '\r', '\n' };

    private TestMessages() {
    }

    /** A small eArztbrief-like business entity: text + XML attachment. */
    public static MimeBodyPart businessEntity(String text) throws Exception {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart t = new MimeBodyPart();
        t.setText(text, "UTF-8");
        mixed.addBodyPart(t);
        MimeBodyPart xml = new MimeBodyPart();
        xml.setContent("<arztbrief>" + text + "</arztbrief>", "application/xml");
        xml.setDescription("eAB-XML");
        xml.setFileName("arztbrief.xml");
        mixed.addBodyPart(xml);
        EntityPart entity = new EntityPart();
        entity.setContent(mixed);
        entity.update();
        return entity;
    }

    /** A body part whose headers can be brought up to date (Content-Type with boundary, transfer encodings). */
    public static final class EntityPart extends MimeBodyPart {
        public EntityPart() {
        }

        public EntityPart(java.io.InputStream in) throws jakarta.mail.MessagingException {
            super(in);
        }

        public void update() throws jakarta.mail.MessagingException {
            updateHeaders();
        }
    }

    public static Map<String, String> headers(String from, String to) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("From", from);
        h.put("To", to);
        h.put("Subject", "Arztbrief");
        h.put("Date", "Sat, 28 Nov 2026 20:00:00 +0100");
        h.put("Message-ID", "<" + java.util.UUID.randomUUID() + "@test.kv-safenet.de>");
        h.put("X-KVC-Dienstkennung", "Arztbrief;VHitG-Versand;V1.0");
        h.put("X-KVC-Sendersystem", "camel-kvconnect;0.1");
        return h;
    }

    /** Raw bytes of a MIME entity. */
    public static byte[] toBytes(jakarta.mail.Part part) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.writeTo(out);
        return out.toByteArray();
    }

    /** A clear-signed multipart/signed of {@code entity}, optionally without certificates. */
    public static byte[] multipartSigned(byte[] entity, SmimeCredentials signer, boolean includeCertificates) throws Exception {
        return multipartSigned(entity, signer, new JcaContentSignerBuilder("SHA256withRSA").build(signer.privateKey()),
                includeCertificates);
    }

    /** A clear-signed multipart/signed of {@code entity} with any signature algorithm Bouncy Castle can produce. */
    public static byte[] multipartSigned(byte[] entity, SmimeCredentials signer,
                                         org.bouncycastle.operator.ContentSigner contentSigner,
                                         boolean includeCertificates) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(contentSigner, signer.certificate()));
        if (includeCertificates) {
            g.addCertificates(new JcaCertStore(signer.chain()));
        }
        byte[] sig = g.generate(new CMSProcessableByteArray(entity), false).getEncoded();
        String b = "b-" + java.util.UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\""
                   + b + "\"\r\n\r\n--" + b + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(entity);
        out.write(("\r\n--" + b + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                   + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(Base64.getMimeEncoder(76, CRLF).encode(sig));
        out.write(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A KV-Connect transport message: {@code plaintext} enveloped (AES-256-CBC, PKCS#1 v1.5) for the recipients. */
    public static byte[] transport(Map<String, String> headers, byte[] plaintext, X509Certificate... recipients) throws Exception {
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        for (X509Certificate r : recipients) {
            g.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(r));
        }
        byte[] der = g.generate(new CMSProcessableByteArray(plaintext),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
        return wrap(headers, der, "enveloped-data");
    }

    /** Headers + base64 CMS body. */
    public static byte[] wrap(Map<String, String> headers, byte[] der, String smimeType) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=").append(smimeType)
                .append("; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(Base64.getMimeEncoder(76, CRLF).encode(der));
        out.write(CRLF);
        return out.toByteArray();
    }

    /** The DER of the transport message's CMS body. */
    public static byte[] cmsOf(byte[] transport) throws Exception {
        String s = new String(transport, StandardCharsets.ISO_8859_1);
        int body = s.indexOf("\r\n\r\n");
        return Base64.getMimeDecoder().decode(s.substring(body + 4).strip());
    }

    /** The transport's headers (up to and including the blank line). */
    public static String headerBlock(byte[] transport) {
        String s = new String(transport, StandardCharsets.ISO_8859_1);
        return s.substring(0, s.indexOf("\r\n\r\n") + 4);
    }

    /** Decrypts an EnvelopedData transport message with BC directly (to tamper with its plaintext). */
    public static byte[] plaintextOf(byte[] transport, SmimeCredentials recipient) throws Exception {
        CMSEnvelopedData data = new CMSEnvelopedData(cmsOf(transport));
        for (RecipientInformation r : data.getRecipientInfos().getRecipients()) {
            try {
                return r.getContent(new JceKeyTransEnvelopedRecipient(recipient.privateKey()));
            } catch (Exception ignore) {
                // try the next one
            }
        }
        throw new IllegalStateException("not for this recipient");
    }

    static List<String> lines(byte[] b) {
        return List.of(new String(b, StandardCharsets.ISO_8859_1).split("\r\n"));
    }

    static ByteArrayInputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
