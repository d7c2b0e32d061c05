package io.github.camelkvconnect.component.support;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.activation.DataHandler;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * Reads a received message's body and attachments while its exchange is in flight and keeps copies in exchange
 * properties: the decrypted content itself is closed and deleted when the exchange completes, so tests that look at
 * received exchanges afterwards must read it in the route, as applications do.
 */
public final class ReadContent {

    private static final String BODY = "test.kvconnect.body";
    private static final String ATTACHMENTS = "test.kvconnect.attachments";

    private ReadContent() {
    }

    /** A processor that copies the body (as String) and every attachment (as bytes) into exchange properties. */
    public static Processor intoProperties() {
        return exchange -> {
            exchange.setProperty(BODY, exchange.getMessage().getBody(String.class));
            Map<String, byte[]> attachments = new LinkedHashMap<>();
            AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
            if (am.hasAttachments()) {
                for (Map.Entry<String, DataHandler> a : am.getAttachments().entrySet()) {
                    try (InputStream in = a.getValue().getInputStream()) {
                        attachments.put(a.getKey(), in.readAllBytes());
                    }
                }
            }
            exchange.setProperty(ATTACHMENTS, attachments);
        };
    }

    /** The body as read in the route. */
    public static String body(Exchange exchange) {
        return exchange.getProperty(BODY, String.class);
    }

    /** An attachment's bytes as read in the route, or null. */
    @SuppressWarnings("unchecked")
    public static byte[] attachment(Exchange exchange, String name) {
        Map<String, byte[]> attachments = exchange.getProperty(ATTACHMENTS, Map.class);
        return attachments == null ? null : attachments.get(name);
    }

    /** An attachment's text (UTF-8) as read in the route, or null. */
    public static String attachmentText(Exchange exchange, String name) {
        byte[] bytes = attachment(exchange, name);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
