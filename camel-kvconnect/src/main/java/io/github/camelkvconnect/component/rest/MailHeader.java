package io.github.camelkvconnect.component.rest;

import java.util.Locale;
import java.util.Map;

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
}
