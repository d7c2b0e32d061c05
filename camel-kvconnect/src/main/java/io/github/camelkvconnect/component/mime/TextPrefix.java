package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

/**
 * The beginning of a text part, at most a given number of characters, decoded with the part's charset. Reads only as
 * much as it returns (plus one character to tell whether there is more), so a text body of any size costs bounded
 * memory.
 *
 * @param text      the text, or its first {@code maxChars} characters
 * @param truncated whether the part holds more text than returned
 */
record TextPrefix(String text, boolean truncated) {

    static TextPrefix read(Part part, int maxChars) throws IOException, MessagingException {
        int limit = Math.max(0, maxChars);
        try (InputStream in = part.getInputStream(); Reader reader = new InputStreamReader(in, charset(part))) {
            StringBuilder sb = new StringBuilder(Math.min(limit, 8192));
            char[] buffer = new char[8192];
            while (sb.length() < limit) {
                int n = reader.read(buffer, 0, Math.min(buffer.length, limit - sb.length()));
                if (n < 0) {
                    return new TextPrefix(sb.toString(), false);
                }
                sb.append(buffer, 0, n);
            }
            return new TextPrefix(sb.toString(), reader.read() >= 0);
        }
    }

    private static Charset charset(Part part) throws MessagingException, IOException {
        String name = null;
        try {
            name = new ContentType(part.getContentType()).getParameter("charset");
        } catch (ParseException e) {
            // an unparsable Content-Type: RFC 2045 default below
        }
        if (name == null || name.isBlank()) {
            return Charset.forName("US-ASCII");
        }
        try {
            return Charset.forName(MimeUtility.javaCharset(name.strip()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new java.io.UnsupportedEncodingException("The message text has the unknown charset " + name);
        }
    }
}
