package io.github.camelkvconnect.examples.oneclick;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

import io.github.camelkvconnect.component.KvConnectConstants;

/** Stores the text and the attachments of a received message in a folder. */
final class AttachmentFiles {

    static final String TEXT_FILE = "text.txt";

    private AttachmentFiles() {
    }

    /**
     * Writes the text part as {@code text.txt} and every attachment under its name (the component has already made
     * the names safe; they are checked again here because they come from the sender). Returns the stored names.
     */
    static List<String> save(Exchange exchange, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<String> stored = new ArrayList<>();
        String text = exchange.getMessage().getHeader(KvConnectConstants.TEXT, String.class);
        if (text != null && !text.isBlank()) {
            write(folder, TEXT_FILE, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            stored.add(TEXT_FILE);
        }
        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        Map<String, DataHandler> attachments = am != null && am.hasAttachments() ? am.getAttachments() : Map.of();
        for (Map.Entry<String, DataHandler> a : attachments.entrySet()) {
            String name = safeName(a.getKey());
            try (InputStream in = a.getValue().getInputStream()) {
                write(folder, name, in);
            }
            stored.add(name);
        }
        return stored;
    }

    /** The attachment with this name, ignoring case (file names in 1-Click are compared without case). */
    static DataHandler find(Exchange exchange, String name) {
        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        if (am == null || !am.hasAttachments()) {
            return null;
        }
        return am.getAttachments().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static void write(Path folder, String name, InputStream in) throws IOException {
        Path target = folder.resolve(name).normalize();
        if (!folder.normalize().equals(target.getParent())) {
            throw new IOException("Refusing to write the attachment name " + name + " outside " + folder);
        }
        Path tmp = Files.createTempFile(folder, ".part-", ".tmp");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            CorrelationStore.moveOver(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String safeName(String name) {
        String n = name == null ? "" : name.replaceAll("[/\\\\\\p{Cntrl}]", "_").strip();
        while (n.startsWith(".")) {
            n = n.substring(1);
        }
        if (n.isEmpty() || n.equals(TEXT_FILE)) {
            n = "attachment-" + (n.isEmpty() ? "unnamed" : n);
        }
        return n;
    }
}
