package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Handles a received Eingangsbestaetigung (receipt confirmation, an RFC 8098 style MDN): finds the message it
 * confirms, logs it, records it in {@code receipts/<Message-ID>.json} and tells the waiting {@code --once} run.
 * <p>
 * The confirmed Message-ID is taken from the {@code Original-Message-ID} field inside the signed and encrypted report,
 * not from the {@code In-Reply-To} header: KV-Connect transport headers travel in clear and unsigned.
 */
final class ReceiptLogger implements Processor {

    /** The report part is a few lines; anything larger is not a disposition notification. */
    private static final int MAX_NOTIFICATION_BYTES = 64 * 1024;

    /** The contents of a receipts/*.json file. */
    record ReceiptRecord(String originalMessageId, String originalFile, String receiptMessageId, String from,
            String dienstkennung, String disposition, String signatureStatus, String receivedAt) {
    }

    private final Practice practice;
    private final DemoEvents events;
    private final Console console;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ReceiptLogger(Practice practice, DemoEvents events, Console console) {
        this.practice = practice;
        this.events = events;
        this.console = console;
    }

    /** Matches an Eingangsbestaetigung: by its Dienstkennung ({@code <app>;Eingangsbestaetigung;<version>}). */
    static Predicate isReceipt() {
        return exchange -> {
            String dienstkennung = exchange.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG, String.class);
            if (dienstkennung == null) {
                return false;
            }
            String[] parts = dienstkennung.split(";");
            return parts.length >= 2 && parts[1].strip().equalsIgnoreCase("Eingangsbestaetigung");
        };
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Map<String, String> fields = notificationFields(in.getBody(Part.class));
        String inReplyTo = in.getHeader(KvConnectConstants.IN_REPLY_TO, String.class);
        String original = fields.get("original-message-id");
        if (original == null) {
            original = inReplyTo;
            console.event("[%s] WARNING: the Eingangsbestaetigung %s has no Original-Message-ID in its report; "
                          + "using its unsigned In-Reply-To header", practice.username(),
                    in.getHeader(KvConnectConstants.MESSAGE_ID, String.class));
        } else if (inReplyTo != null && !MessageIds.normalize(inReplyTo).equals(MessageIds.normalize(original))) {
            console.event("[%s] WARNING: Eingangsbestaetigung: In-Reply-To %s differs from the signed Original-Message-ID %s;"
                          + " using the latter", practice.username(), inReplyTo, original);
        }
        String disposition = fields.getOrDefault("disposition", "(none)");
        String from = in.getHeader(KvConnectConstants.FROM, String.class);
        String status = in.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class);
        DemoEvents.Sent sent = events.sentMessage(original);

        Path file = record(new ReceiptRecord(original, sent != null ? sent.fileName() : null,
                in.getHeader(KvConnectConstants.MESSAGE_ID, String.class), from,
                in.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class), disposition, status,
                Instant.now().toString()));
        console.event("[%s] Eingangsbestaetigung (MDN) from %s for %s%s: %s; signature %s", practice.username(), from,
                original, sent != null ? " (outbox file " + sent.fileName() + ")" : " (sent before this run)",
                disposition, status);
        console.event("[%s]   recorded in %s", practice.username(), file);
        events.receipt(new DemoEvents.Receipt(original, from, disposition, status, Instant.now()));
    }

    private Path record(ReceiptRecord receipt) throws IOException {
        Files.createDirectories(practice.receipts());
        String base = SafeNames.folderName(receipt.originalMessageId());
        Path target = SafeNames.inside(practice.receipts(), base + ".json");
        for (int n = 2; Files.exists(target); n++) {
            target = SafeNames.inside(practice.receipts(), base + "~" + n + ".json");
        }
        json.writeValue(target.toFile(), receipt);
        return target;
    }

    /**
     * The fields of the {@code message/disposition-notification} part (names lower case, folded lines joined), or an
     * empty map if the message has none.
     */
    static Map<String, String> notificationFields(Part message) throws MessagingException, IOException {
        Part notification = find(message, 0);
        Map<String, String> fields = new LinkedHashMap<>();
        if (notification == null) {
            return fields;
        }
        String text;
        try (InputStream in = notification.getInputStream()) {
            text = new String(in.readNBytes(MAX_NOTIFICATION_BYTES), StandardCharsets.UTF_8);
        }
        String unfolded = text.replaceAll("\r?\n[ \t]+", " ");
        for (String line : unfolded.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    private static Part find(Part part, int depth) throws MessagingException, IOException {
        if (part == null || depth > 8) {
            return null;
        }
        if (part.isMimeType("message/disposition-notification")) {
            return part;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                Part found = find(child, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
