package io.github.camelkvconnect.component.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;

/**
 * Tells from the top-level Content-Type of a transport message whether it is S/MIME encrypted at all. Used only to
 * explain a failure the S/MIME layer reported as malformed: a KV-Connect or KIM message is encrypted at its top level,
 * so one that is not was refused for being unencrypted, and the user needs to hear that rather than "malformed".
 */
final class TransportEncryption {

    /** The header block is read at most this far: the S/MIME layer has refused larger ones already. */
    private static final int MAX_HEAD = 256 * 1024;

    private TransportEncryption() {
    }

    /**
     * @return true if the message's top-level Content-Type is known and is not an encrypted S/MIME type
     *         ({@code application/pkcs7-mime} or {@code application/x-pkcs7-mime} other than {@code smime-type=signed-data});
     *         false if it is one, or if the headers cannot be read or parsed (nothing is claimed then)
     */
    static boolean certainlyNotEncrypted(Path transportMessage) {
        try (InputStream in = Files.newInputStream(transportMessage)) {
            byte[] head = in.readNBytes(MAX_HEAD);
            String value = new InternetHeaders(new ByteArrayInputStream(head)).getHeader("Content-Type", null);
            if (value == null) {
                // RFC 2045: no Content-Type means text/plain
                return true;
            }
            ContentType type = new ContentType(value);
            if (!type.match("application/pkcs7-mime") && !type.match("application/x-pkcs7-mime")) {
                return true;
            }
            String smimeType = type.getParameter("smime-type");
            return smimeType != null && smimeType.strip().toLowerCase(Locale.ROOT).equals("signed-data");
        } catch (IOException | MessagingException | RuntimeException e) {
            // unreadable or unparsable headers (ParseException included): make no claim
            return false;
        }
    }
}
