package io.github.camelkvconnect.smime;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.LineOutputStream;
import jakarta.mail.util.SharedByteArrayInputStream;

/**
 * The stream a business entity is written to ({@code Part.writeTo}). {@code MimeBodyPart.writeTo} wraps any other
 * stream in a line stream from {@code StreamProvider.provider()}, which in Jakarta Mail 2.1 scans the class path with a
 * ServiceLoader on every call (jakartaee/mail-api#699); given a {@link LineOutputStream} it writes the header lines
 * through it instead. {@link #writeln(String)} writes exactly what Angus Mail's line stream writes: the characters as
 * bytes, or UTF-8 when MimeBodyPart allows UTF-8 headers, then CRLF.
 */
final class EntityOutput extends FilterOutputStream implements LineOutputStream {

    /**
     * Whether MimeBodyPart writes header lines as UTF-8 ({@code mail.mime.allowutf8}, read once by MimeBodyPart, true
     * unless set to "false" in Jakarta Mail 2.1): asked of MimeBodyPart itself, once, by writing a header with a
     * non-ASCII character the ordinary way, so the answer cannot drift from Jakarta Mail's own rules.
     */
    private static final boolean ALLOW_UTF8 = mimeBodyPartWritesUtf8();

    private static boolean mimeBodyPartWritesUtf8() {
        try {
            MimeBodyPart probe = new MimeBodyPart(new SharedByteArrayInputStream(
                    "Content-Transfer-Encoding: 7bit\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            probe.setHeader("X-Probe", "\u00e9");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            probe.writeTo(out);
            return new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("\u00c3\u00a9");
        } catch (IOException | MessagingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte[] CRLF = { '\r', '\n' };

    EntityOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void writeln(String s) throws IOException {
        byte[] bytes;
        if (ALLOW_UTF8) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else {
            // Angus' ASCIIUtility.getBytes: each char cast to a byte (not an encoder: no '?' for chars above 0xFF)
            bytes = new byte[s.length()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) s.charAt(i);
            }
        }
        out.write(bytes);
        out.write(CRLF);
    }

    @Override
    public void writeln() throws IOException {
        out.write(CRLF);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        // the entity's end is not the envelope's: flush only
        out.flush();
    }
}
