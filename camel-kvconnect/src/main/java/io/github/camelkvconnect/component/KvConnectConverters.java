package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Converter;

/** Type converters for received message bodies (the decrypted business MIME entity). */
@Converter(generateLoader = true)
public final class KvConnectConverters {

    private KvConnectConverters() {
    }

    /**
     * The complete MIME entity (headers and body) as a stream. Note: this materialises the entity; for very large
     * messages read the parts (or the Camel attachments) instead, which stream from the backing file.
     */
    @Converter
    public static InputStream toInputStream(MimeMessage message) throws IOException, MessagingException {
        return new java.io.ByteArrayInputStream(toBytes(message));
    }

    /** The complete MIME entity (headers and body) as bytes. */
    @Converter
    public static byte[] toBytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** The complete MIME entity (headers and body) as text. */
    @Converter
    public static String toString(MimeMessage message) throws IOException, MessagingException {
        return new String(toBytes(message), StandardCharsets.UTF_8);
    }
}
