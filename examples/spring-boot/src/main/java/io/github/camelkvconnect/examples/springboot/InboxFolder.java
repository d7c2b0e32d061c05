package io.github.camelkvconnect.examples.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import tools.jackson.databind.json.JsonMapper;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Stores one received message as a folder {@code <inbox>/<message-id>/}:
 * <ul>
 * <li>{@code message.eml} - the decrypted business MIME entity, complete;</li>
 * <li>{@code attachments/<name>} - each attachment (names already sanitised by the component);</li>
 * <li>{@code metadata.json} - sender, recipients, subject, Dienstkennung, signature status.</li>
 * </ul>
 * The folder is written under a hidden temporary name and renamed when complete, so whoever watches the inbox never
 * sees half a message. A folder is never overwritten: the same message delivered again (it was stored, but the
 * delete on the server did not happen) is recognised by its identical content and kept once; a different message
 * that reuses a Message-ID gets {@code <message-id>-2}.
 */
final class InboxFolder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path inbox;

    InboxFolder(Path inbox) {
        this.inbox = inbox.toAbsolutePath();
    }

    /** @return the folder holding the message */
    Path store(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Files.createDirectories(inbox);
        Path incoming = Files.createTempDirectory(inbox, ".incoming-");
        try {
            try (OutputStream out = Files.newOutputStream(incoming.resolve("message.eml"))) {
                message.getMandatoryBody(MimeMessage.class).writeTo(out);
            }
            List<String> attachments = writeAttachments(exchange, incoming.resolve("attachments"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(incoming.resolve("metadata.json").toFile(),
                    metadata(message, attachments));
            return publish(incoming, folderName(message.getHeader(KvConnectConstants.MESSAGE_ID, String.class)));
        } finally {
            deleteRecursively(incoming);
        }
    }

    private static List<String> writeAttachments(Exchange exchange, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        if (!message.hasAttachments()) {
            return names;
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, DataHandler> attachment : message.getAttachments().entrySet()) {
            Path target = dir.resolve(attachment.getKey()).normalize();
            if (!target.getParent().equals(dir)) {
                // the component sanitises names; this only guards the folder if that ever changed
                throw new IOException("Refusing attachment name outside the message folder: " + attachment.getKey());
            }
            try (InputStream in = attachment.getValue().getInputStream()) {
                Files.copy(in, target);
            }
            names.add(attachment.getKey());
        }
        return names;
    }

    private static Map<String, Object> metadata(Message message, List<String> attachments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", message.getHeader(KvConnectConstants.MESSAGE_ID, String.class));
        m.put("account", message.getHeader(KvConnectConstants.ACCOUNT, String.class));
        m.put("from", message.getHeader(KvConnectConstants.FROM, String.class));
        m.put("to", message.getHeader(KvConnectConstants.TO, String.class));
        m.put("cc", message.getHeader(KvConnectConstants.CC, String.class));
        m.put("subject", message.getHeader(KvConnectConstants.SUBJECT, String.class));
        m.put("date", message.getHeader(KvConnectConstants.DATE, String.class));
        m.put("inReplyTo", message.getHeader(KvConnectConstants.IN_REPLY_TO, String.class));
        m.put("dienstkennung", message.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class));
        m.put("signatureStatus", message.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class));
        m.put("signatureValid", message.getHeader(KvConnectConstants.SIGNATURE_VALID, Boolean.class));
        m.put("signatureDetail", message.getHeader(KvConnectConstants.SIGNATURE_DETAIL, String.class));
        m.put("signerAddress", message.getHeader(KvConnectConstants.SIGNER_ADDRESS, String.class));
        m.put("attachments", attachments);
        m.put("storedAt", Instant.now().toString());
        return m;
    }

    /** Renames the complete folder to its final name; returns the folder that holds the message. */
    private Path publish(Path incoming, String name) throws IOException {
        for (int i = 1;; i++) {
            Path target = inbox.resolve(i == 1 ? name : name + "-" + i);
            if (Files.exists(target)) {
                if (sameMessage(target, incoming)) {
                    return target;
                }
                continue;
            }
            try {
                Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (FileAlreadyExistsException e) {
                // appeared in the meantime: look at it in the next round
                i--;
            }
        }
    }

    private static boolean sameMessage(Path stored, Path incoming) throws IOException {
        Path storedEml = stored.resolve("message.eml");
        return Files.isRegularFile(storedEml) && Files.mismatch(storedEml, incoming.resolve("message.eml")) == -1;
    }

    /**
     * A folder name from the Message-ID: without angle brackets, only letters, digits and {@code . _ @ + -}, no leading
     * dot (no hidden folders, no {@code ..}), at most 120 characters.
     */
    static String folderName(String messageId) {
        String name = messageId == null ? "" : messageId.strip();
        if (name.startsWith("<") && name.endsWith(">")) {
            name = name.substring(1, name.length() - 1);
        }
        name = name.replaceAll("[^A-Za-z0-9._@+-]", "_").replaceFirst("^\\.+", "");
        if (name.length() > 120) {
            name = name.substring(0, 120);
        }
        return name.isEmpty() ? "message-without-id" : name;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
