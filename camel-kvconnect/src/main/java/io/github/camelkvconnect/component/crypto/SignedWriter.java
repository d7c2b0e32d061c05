package io.github.camelkvconnect.component.crypto;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * Writes a KV-Connect transport message (profile KVCONNECT, domain reference §6): the business entity clear-signed as
 * {@code multipart/signed} (SHA256withRSA, signer chain included), enveloped with AES-256-CBC for every recipient and
 * the sender, base64 under the clear routing headers. Content is streamed through temporary files, never held in memory.
 */
final class SignedWriter {

    private static final byte[] CRLF = { '\r', '\n' };

    private SignedWriter() {
    }

    static void write(OutgoingMessage message, SmimeCredentials signer, List<X509Certificate> recipients, Path work,
                      OutputStream out)
            throws IOException {
        Path entity = TempFiles.create(work, "entity-", ".mime");
        Path signed = TempFiles.create(work, "signed-", ".mime");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(entity))) {
                message.businessEntity().writeTo(os);
            } catch (MessagingException e) {
                throw new IOException("Cannot write the message content: " + e.getMessage(), e);
            }
            byte[] signature = sign(entity, signer);
            String boundary = "----=_KVC_" + UUID.randomUUID();
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(signed))) {
                ascii(os, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n"
                          + "\tboundary=\"" + boundary + "\"\r\n\r\n");
                ascii(os, "--" + boundary + "\r\n");
                Files.copy(entity, os);
                ascii(os, "\r\n--" + boundary + "\r\n");
                ascii(os, "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                          + "Content-Transfer-Encoding: base64\r\n"
                          + "Content-Disposition: attachment; filename=smime.p7s\r\n\r\n");
                os.write(Base64.getMimeEncoder(76, CRLF).encode(signature));
                ascii(os, "\r\n--" + boundary + "--\r\n");
            }
            for (Map.Entry<String, String> h : message.routingHeaders().entrySet()) {
                ascii(out, h.getKey() + ": " + h.getValue() + "\r\n");
            }
            ascii(out, "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                       + "Content-Transfer-Encoding: base64\r\n"
                       + "Content-Disposition: attachment; filename=smime.p7m\r\n"
                       + "Content-Description: S/MIME Encrypted Message\r\n\r\n");
            encrypt(signed, recipients, new NonClosing(out));
            ascii(out, "\r\n");
            out.flush();
        } finally {
            TempFiles.deleteQuietly(entity);
            TempFiles.deleteQuietly(signed);
        }
    }

    private static byte[] sign(Path entity, SmimeCredentials signer) throws IOException {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.privateKey()), signer.certificate()));
            generator.addCertificates(new JcaCertStore(new ArrayList<>(signer.chain())));
            CMSSignedData data = generator.generate(new CMSProcessableFile(entity.toFile()), false);
            return data.getEncoded();
        } catch (OperatorCreationException | CMSException | CertificateEncodingException e) {
            throw new IOException("Cannot sign the message: " + e.getMessage(), e);
        }
    }

    private static void encrypt(Path content, List<X509Certificate> recipients, OutputStream out) throws IOException {
        try {
            CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
            for (X509Certificate r : recipients) {
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(r));
            }
            OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(out);
            try (OutputStream cms = generator.open(base64,
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build())) {
                Files.copy(content, cms);
            }
            base64.close();
        } catch (CMSException | CertificateEncodingException e) {
            throw new IOException("Cannot encrypt the message: " + e.getMessage(), e);
        }
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Lets the base64 encoder finish its padding without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
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
