package io.github.camelkvconnect.component.rest;

import java.util.Locale;
import java.util.Map;

import io.github.camelkvconnect.component.mime.HeaderSafety;

/**
 * One entry of the server's header list ({@code GET accounts/{uid}/headers}): the clear routing headers of a message
 * waiting in the mailbox. Values come from the server and the sender; treat them as untrusted.
 *
 * @param fields header name (lower case) to value
 */
public record MailHeader(Map<String, String> fields) {

    public MailHeader {
        fields = Map.copyOf(fields);
    }

    /** The value of a header (name case-insensitive), or {@code null}. */
    public String get(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    public String messageId() {
        return get("message-id");
    }

    public String from() {
        return get("from");
    }

    public String dienstkennung() {
        return get("x-kvc-dienstkennung");
    }

    /** {@link #messageId()} for log lines and exception messages: see {@link #display(String)}. */
    public String displayMessageId() {
        return display(messageId());
    }

    /** {@link #from()} for log lines and exception messages: see {@link #display(String)}. */
    public String displayFrom() {
        return display(from());
    }

    /**
     * A value from outside as it may appear in a log line or exception message: control characters (CR, LF, NUL, ...)
     * and the Unicode line breaks NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR become spaces, so that the value cannot
     * start a forged log line. Never use the result to address a message: it may differ from the raw value.
     *
     * @return the value for display, or {@code null} for {@code null}
     */
    public static String display(String value) {
        if (value == null) {
            return null;
        }
        return HeaderSafety.withControlsAsSpaces(value).replace('\u0085', ' ').replace('\u2028', ' ').replace('\u2029', ' ');
    }
}
