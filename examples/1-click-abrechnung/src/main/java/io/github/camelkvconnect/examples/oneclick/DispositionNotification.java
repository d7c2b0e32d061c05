package io.github.camelkvconnect.examples.oneclick;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/**
 * The machine-readable part of an Eingangsbestaetigung: the {@code message/disposition-notification} part of the
 * {@code multipart/report} (RFC 8098) with {@code Original-Message-ID} and {@code Disposition}.
 */
record DispositionNotification(String originalMessageId, String disposition) {

    /** The part is a few hundred bytes; reading is bounded because the content comes from another party. */
    private static final int MAX_BYTES = 16 * 1024;
    private static final int MAX_DEPTH = 8;

    /** The notification in the entity, or null if it has none. */
    static DispositionNotification find(Part entity) throws MessagingException, IOException {
        Part part = findPart(entity, 0);
        if (part == null) {
            return null;
        }
        String original = null;
        String disposition = null;
        try (InputStream raw = part.getInputStream();
             BufferedReader r = new BufferedReader(new InputStreamReader(
                     new ByteArrayInputStream(raw.readNBytes(MAX_BYTES)), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                int colon = line.indexOf(':');
                if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                    continue;
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (name.equals("original-message-id") && original == null) {
                    original = value;
                } else if (name.equals("disposition") && disposition == null) {
                    disposition = value;
                }
            }
        }
        return new DispositionNotification(original, disposition);
    }

    private static Part findPart(Part part, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return null;
        }
        if (part.isMimeType("message/disposition-notification")) {
            return part;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                Part found = findPart(mp.getBodyPart(i), depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
