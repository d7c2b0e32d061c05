package io.github.camelkvconnect.emulator.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;

/**
 * The clear routing headers in front of a posted S/MIME message, parsed with Jakarta Mail.
 *
 * @param listed     the headers the header list shows, lowercase name → unfolded value, in the order of
 *                   {@link #LISTED}
 * @param recipients the To and Cc addresses, lowercase
 * @param from       the From address, lowercase, or null
 */
public record MessageHeaders(Map<String, String> listed, List<String> recipients, String from) {

    /** The header elements of {@code GET accounts/{uid}/headers}, as the real server names them. */
    public static final List<String> LISTED = List.of("from", "to", "subject", "message-id", "in-reply-to", "date",
            "x-kvc-sendersystem", "x-kvc-dienstkennung", "return-path", "disposition-notification-to", "content-type");

    /** @return the Message-ID header value (with angle brackets as sent), or null */
    public String messageId() {
        return listed.get("message-id");
    }

    /**
     * @param raw the complete message
     * @return its headers
     * @throws IllegalArgumentException if the header block or an address cannot be parsed
     */
    public static MessageHeaders parse(byte[] raw) {
        return parse(new ByteArrayInputStream(raw));
    }

    /**
     * Reads only the header block of the stream.
     *
     * @param in the message
     * @return its headers
     * @throws IllegalArgumentException if the header block or an address cannot be parsed
     */
    public static MessageHeaders parse(InputStream in) {
        InternetHeaders headers;
        try {
            headers = new InternetHeaders(in, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("The message header block cannot be parsed: " + e.getMessage(), e);
        }
        Map<String, String> listed = new LinkedHashMap<>();
        for (String name : LISTED) {
            String value = headers.getHeader(name, ", ");
            if (value != null) {
                listed.put(name, MimeUtility.unfold(value).trim());
            }
        }
        List<String> recipients = new ArrayList<>();
        addAddresses(headers, "To", recipients);
        addAddresses(headers, "Cc", recipients);
        List<String> from = new ArrayList<>();
        addAddresses(headers, "From", from);
        return new MessageHeaders(Collections.unmodifiableMap(listed), List.copyOf(recipients),
                from.isEmpty() ? null : from.get(0));
    }

    private static void addAddresses(InternetHeaders headers, String name, List<String> out) {
        String value = headers.getHeader(name, ",");
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            for (InternetAddress address : InternetAddress.parseHeader(value, true)) {
                String a = address.getAddress().toLowerCase(Locale.ROOT);
                if (!out.contains(a)) {
                    out.add(a);
                }
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("The " + name + " header is not a valid address list: " + e.getMessage(), e);
        }
    }

    /** Reads a header block from a stored file. */
    static MessageHeaders parseFile(java.nio.file.Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            return parse(in);
        }
    }
}
