package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.util.Enumeration;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimePart;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

/**
 * Checks the headers of every MIME part of an outgoing business entity, at every nesting level, before it is signed:
 * a route may build a MimeMessage or MimeBodyPart itself, and Jakarta Mail writes a header value exactly as it was set.
 * A CR or LF inside a value would end the header early (header injection, or a message the receiver rejects for good
 * after it was signed and sent), a NUL or another control character is not allowed in a header, and non-ASCII
 * characters must be encoded (RFC 2047, {@code MimeUtility.encodeText}; file names RFC 2231, as
 * {@code setFileName} does).
 * <p>
 * The one line break allowed is header folding: CRLF followed by a space or tab. After unfolding, no CR or LF may be
 * left. Refusals name the part and the header, never the value, which may be content.
 */
public final class OutboundPartHeaders {

    /** Deeper route-built structures are refused rather than walked (a receiver refuses them anyway). */
    static final int MAX_DEPTH = 32;

    private OutboundPartHeaders() {
    }

    /**
     * @throws KvConnectInvalidHeaderException if a header name or value of any part is not allowed
     * @throws MessagingException              if the structure cannot be read
     */
    public static void check(Part entity) throws KvConnectInvalidHeaderException, MessagingException, IOException {
        check(entity, "", 0);
    }

    private static void check(Part part, String path, int depth)
            throws KvConnectInvalidHeaderException, MessagingException, IOException {
        String where = path.isEmpty() ? "the top-level MIME entity of the message body" : "MIME part " + path
                                                                                          + " of the message body";
        if (depth > MAX_DEPTH) {
            throw new KvConnectInvalidHeaderException("The message body nests MIME parts deeper than " + MAX_DEPTH
                                                      + " levels (at " + where + "); refusing to send.");
        }
        if (part instanceof MimePart mime) {
            // the lines as they will be written: Header#getValue() skips leading CR/LF, the writer does not
            Enumeration<String> lines = mime.getAllHeaderLines();
            while (lines.hasMoreElements()) {
                String line = lines.nextElement();
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                checkName(name, where);
                checkValue(name, line.substring(colon + 1), where);
            }
        } else {
            Enumeration<Header> headers = part.getAllHeaders();
            while (headers.hasMoreElements()) {
                Header h = headers.nextElement();
                checkName(h.getName(), where);
                checkValue(h.getName(), h.getValue(), where);
            }
        }
        if (opaque(part)) {
            // a base64 or quoted-printable part is content (e.g. an .eml or multipart file sent as an attachment):
            // its inner headers are not MIME structure of this message, and the receiver does not parse them as such
            return;
        }
        // only after the headers were found sound: reading the structure parses the Content-Type header
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                check(mp.getBodyPart(i), path.isEmpty() ? Integer.toString(i + 1) : path + "." + (i + 1), depth + 1);
            }
        } else if (part.isMimeType("message/rfc822") && part.getContent() instanceof Part inner) {
            check(inner, (path.isEmpty() ? "" : path + ".") + "message", depth + 1);
        }
    }

    /** RFC 2045: multipart and message/rfc822 entities are never encoded; an encoded one is opaque content. */
    private static boolean opaque(Part part) throws MessagingException {
        String[] encoding = part.getHeader("Content-Transfer-Encoding");
        if (encoding == null || encoding.length == 0) {
            return false;
        }
        String e = encoding[0].strip().toLowerCase(java.util.Locale.ROOT);
        return e.equals("base64") || e.equals("quoted-printable");
    }

    private static void checkName(String name, String where) throws KvConnectInvalidHeaderException {
        boolean valid = name != null && !name.isEmpty();
        for (int i = 0; valid && i < name.length(); i++) {
            char c = name.charAt(i);
            // RFC 5322 field-name: printable US-ASCII except the colon
            valid = c >= 0x21 && c <= 0x7e && c != ':';
        }
        if (!valid) {
            String shown = name == null ? "(none)" : HeaderSafety.withControlsAsSpaces(name);
            throw new KvConnectInvalidHeaderException("A header name of " + where + " ('" + shown + "') is not a valid "
                                                      + "header name (printable US-ASCII without ':'); refusing to send.");
        }
    }

    private static void checkValue(String name, String value, String where) throws KvConnectInvalidHeaderException {
        if (value == null) {
            return;
        }
        String unfolded = value.replaceAll("\r\n(?=[ \t])", "");
        for (int i = 0; i < unfolded.length(); i++) {
            char c = unfolded.charAt(i);
            String problem = null;
            if (c == '\r' || c == '\n') {
                problem = "a line break (CR or LF) that is not header folding";
            } else if (c == 0) {
                problem = "a NUL character";
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                problem = "a control character";
            } else if (c > 0x7e) {
                problem = "a non-ASCII character (encode it: RFC 2047, MimeUtility.encodeText)";
            }
            if (problem != null) {
                throw new KvConnectInvalidHeaderException("Header " + name + " of " + where + " contains " + problem
                                                          + " (position " + i + "); refusing to send. Nothing was "
                                                          + "signed or sent: fix the header where the route builds the "
                                                          + "MIME part.");
            }
        }
    }
}
