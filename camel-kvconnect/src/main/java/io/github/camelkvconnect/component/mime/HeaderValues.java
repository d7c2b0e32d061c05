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
    /** Strict RFC 5322 msg-id: {@code <id-left@id-right>}, id-right a dot-atom or a no-fold-literal (Content-ID). */
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
     * The longest msg-id that still fits on one header line (998 characters, RFC 5322 §2.1.1) under the longest header
     * name the component writes a Message-ID into: {@code Original-Message-ID: } in a receipt's report.
     */
    static final int MAX_MESSAGE_ID_REFERENCE = 998 - "Original-Message-ID: ".length();

    /**
     * A reference to a Message-ID another system chose (In-Reply-To, a receipt's Original-Message-ID); angle brackets
     * are added if missing. Checked by {@link #messageIdReference(String)}: lenient about the id's inner syntax, strict
     * about anything that could break the header.
     *
     * @throws KvConnectInvalidHeaderException if the value could not travel safely in a header
     */
    public static String messageIdReference(String header, String value) throws KvConnectInvalidHeaderException {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(header, value);
        String id = messageIdReference(value);
        if (id == null) {
            throw new KvConnectInvalidHeaderException("Header " + header + " holds an invalid Message-ID '" + value
                                                      + "': use one Message-ID as the other system sent it, e.g. "
                                                      + "<id@host>: visible ASCII characters without spaces, '<' or '>' "
                                                      + "inside, at most " + MAX_MESSAGE_ID_REFERENCE + " characters.");
        }
        return id;
    }

    /**
     * The rule for Message-IDs chosen by other systems. They are echoed back (a reply's In-Reply-To, a receipt), so
     * every id a real peer may have sent must pass, not only RFC 5322's strict {@code <id-left@id-right>}: real
     * KV-Connect and KIM mailers send ids without '@' (Apache Mime4j: {@code <Mime4j.0.81c65006d0c27d68.1641cd879c4>}),
     * and RFC 5322's obsolete syntax (obs-id-left, obs-id-right) allows quoted local parts, empty dot-atom pieces and
     * domain literals. What is refused is what could harm the header or is plainly not one id: after stripping the
     * value and adding missing angle brackets, it must be {@code <} + at least one visible US-ASCII character (0x21 to
     * 0x7e: no space, tab, control character or non-ASCII) + {@code >}, with no further {@code <} or {@code >} inside,
     * double quotes balanced (a quoted id-left; a backslash inside quotes escapes the next character) and at most
     * {@link #MAX_MESSAGE_ID_REFERENCE} characters in all. Line breaks are refused by {@link #text} before.
     *
     * @return the id in angle brackets, or null if it does not pass
     */
    static String messageIdReference(String value) {
        String id = value.strip();
        if (!id.startsWith("<")) {
            id = "<" + id + ">";
        }
        if (id.length() < 3 || id.length() > MAX_MESSAGE_ID_REFERENCE || !id.endsWith(">")) {
            return null;
        }
        boolean quoted = false;
        boolean escaped = false;
        for (int i = 1; i < id.length() - 1; i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '<' || c == '>') {
                return null;
            }
            if (escaped) {
                escaped = false;
            } else if (quoted && c == '\\') {
                escaped = true;
            } else if (c == '"') {
                quoted = !quoted;
            }
        }
        return quoted || escaped ? null : id;
    }

    /**
     * A Message-ID the user chooses for a message the component sends: the strict RFC 5322 msg-id
     * {@code <id-left@id-right>} (see {@link #strictMsgId}); angle brackets are added if missing.
     *
     * @return the msg-id in angle brackets, or null for a null or blank value
     * @throws KvConnectInvalidHeaderException if the value is not a strict msg-id
     */
    public static String ownMessageId(String header, String value) throws KvConnectInvalidHeaderException {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(header, value);
        String id = strictMsgId(value);
        if (id == null) {
            throw new KvConnectInvalidHeaderException("Header " + header + " holds an invalid Message-ID '" + value
                                                      + "': use a unique id of the form <id@host>, e.g. "
                                                      + "<rechnung-2026-11.4711@praxis.example> (RFC 5322 dot-atoms, no "
                                                      + "spaces).");
        }
        return id;
    }

    /**
     * The strict RFC 5322 msg-id {@code <id-left@id-right>} (id-left a dot-atom-text, id-right a dot-atom-text or a
     * no-fold-literal), for identifiers the component's users choose themselves: an attachment's Content-ID, which other
     * parts reference as {@code cid:} URLs (RFC 2392) and which receivers parse strictly. Angle brackets are added if
     * missing.
     *
     * @return the msg-id in angle brackets, or null if the (stripped) value is not one
     */
    static String strictMsgId(String value) {
        String id = value.strip();
        if (!id.startsWith("<")) {
            id = "<" + id + ">";
        }
        return MSG_ID.matcher(id).matches() ? id : null;
    }
}
