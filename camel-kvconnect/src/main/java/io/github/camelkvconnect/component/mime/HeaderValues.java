package io.github.camelkvconnect.component.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

/**
 * Checks header values of outgoing messages before anything is built or sent: no CR, LF or other control characters
 * (header injection), and syntactically valid single addresses without display-name tricks.
 */
public final class HeaderValues {

    /** RFC 5322 dot-atom-text (id-left, and the usual id-right). */
    private static final String DOT_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
    /** RFC 5322 msg-id: {@code <id-left@id-right>}, id-right a dot-atom or a no-fold-literal. */
    private static final Pattern MSG_ID = Pattern.compile("<" + DOT_ATOM + "@(?:" + DOT_ATOM + "|\\[[\\x21-\\x5a\\x5e-\\x7e]*\\])>");

    private HeaderValues() {
    }

    /** Rejects control characters (incl. CR/LF, NUL and the Unicode line/paragraph separators). */
    public static String text(String header, String value) throws KvConnectInvalidHeaderException {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                throw new KvConnectInvalidHeaderException("Header " + header + " contains a line break or control character "
                                                          + "(position " + i + "); refusing to send. Remove CR/LF from the value.");
            }
        }
        if (value.length() > 998) {
            throw new KvConnectInvalidHeaderException("Header " + header + " is longer than 998 characters; refusing to send.");
        }
        return value;
    }

    /** Parses a comma-separated address list; every entry must be a plain, valid address. */
    public static List<String> addresses(String header, String value, boolean required) throws KvConnectInvalidHeaderException {
        List<String> result = new ArrayList<>();
        if (value == null || value.isBlank()) {
            if (required) {
                throw new KvConnectInvalidHeaderException("Header " + header + " is required: set it to the recipient address(es).");
            }
            return result;
        }
        text(header, value);
        for (String part : value.split(",")) {
            result.add(address(header, part.strip()));
        }
        return result;
    }

    /** One plain address ({@code local@domain}); display names are not accepted. */
    public static String address(String header, String value) throws KvConnectInvalidHeaderException {
        text(header, value);
        try {
            InternetAddress a = new InternetAddress(value, true);
            a.validate();
            if (a.getPersonal() != null || !value.equals(a.getAddress()) || a.getAddress().indexOf('@') < 1) {
                throw new AddressException("not a plain address");
            }
            return a.getAddress();
        } catch (AddressException e) {
            throw new KvConnectInvalidHeaderException("Header " + header + " holds an invalid address '" + value
                                                      + "': use plain addresses like praxis.mueller@kv-safenet.de.");
        }
    }

    /** A media type such as {@code application/pdf}, parameters allowed; null or blank gives null. */
    public static String contentType(String header, String value) throws KvConnectInvalidHeaderException {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(header, value);
        try {
            return new ContentType(value.strip()).toString();
        } catch (ParseException e) {
            throw new KvConnectInvalidHeaderException("Header " + header + " holds an invalid media type '" + value
                                                      + "': use a type like application/pdf or text/plain; charset=utf-8.");
        }
    }

    /**
     * A Message-ID reference ({@code <id@host>}, e.g. In-Reply-To); angle brackets are added if missing.
     *
     * @throws KvConnectInvalidHeaderException if it is not an RFC 5322 msg-id ({@link #msgId})
     */
    public static String messageId(String header, String value) throws KvConnectInvalidHeaderException {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(header, value);
        String id = msgId(value);
        if (id == null) {
            throw new KvConnectInvalidHeaderException("Header " + header + " holds an invalid Message-ID '" + value
                                                      + "': use the form <id@host>.");
        }
        return id;
    }

    /**
     * The one definition of a msg-id here (Message-ID, In-Reply-To, Content-ID): RFC 5322 {@code <id-left@id-right>},
     * id-left a dot-atom-text, id-right a dot-atom-text or a no-fold-literal. Angle brackets are added if missing.
     *
     * @return the msg-id in angle brackets, or null if the (stripped) value is not one
     */
    static String msgId(String value) {
        String id = value.strip();
        if (!id.startsWith("<")) {
            id = "<" + id + ">";
        }
        return MSG_ID.matcher(id).matches() ? id : null;
    }
}
