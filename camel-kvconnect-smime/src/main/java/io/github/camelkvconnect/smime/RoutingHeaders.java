package io.github.camelkvconnect.smime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Checks the clear routing headers before anything is written: no header injection, valid names and addresses. */
final class RoutingHeaders {

    private static final Set<String> ADDRESS_HEADERS = Set.of("from", "to", "cc", "bcc", "reply-to", "sender",
            "disposition-notification-to", "return-path");

    private RoutingHeaders() {
    }

    static void check(Map<String, String> headers) throws InvalidHeaderException {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            String value = h.getValue();
            if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':')) {
                throw new InvalidHeaderException(String.valueOf(name),
                        "Invalid header name; use printable ASCII without ':' (RFC 5322)");
            }
            if (value == null) {
                throw new InvalidHeaderException(name, "Header " + name + " has no value");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new InvalidHeaderException(name,
                        "Header " + name + " contains a line break or NUL (header injection); remove it from the value");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (ADDRESS_HEADERS.contains(lower)) {
                addresses(name, value);
            }
        }
    }

    /** The plain addresses of an address header, strictly parsed. */
    static List<String> addresses(String name, String value) throws InvalidHeaderException {
        List<String> result = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        try {
            for (InternetAddress a : InternetAddress.parse(value, true)) {
                a.validate();
                result.add(a.getAddress());
            }
        } catch (AddressException e) {
            throw new InvalidHeaderException(name, "Header " + name + " holds an invalid e-mail address at position "
                                                   + e.getPos() + "; correct the address");
        }
        return result;
    }

    static String get(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
