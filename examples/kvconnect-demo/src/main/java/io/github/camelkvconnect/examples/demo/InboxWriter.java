package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Writes a received, decrypted and verified message into {@code inbox/<Message-ID>/}: the cover text as
 * {@code body.txt}, each attachment under a safe file name, and {@code metadata.json} (sender, Dienstkennung,
 * signature result, attachments with size and SHA-256).
 * <p>
 * The folder is written under a hidden temporary name and renamed when complete, so a folder without the dot is
 * always whole. If writing fails the exchange fails and the message stays on the server (the component deletes it
 * only after a successful exchange), to be delivered again. A message that arrives a second time (possible after a
 * crash between writing and the delete on the server) gets a second folder with a suffix: nothing is overwritten.
 */
final class InboxWriter implements Processor {

    static final String BODY_FILE = "body.txt";
    static final String METADATA_FILE = "metadata.json";

    /** The contents of metadata.json. */
    record Metadata(String messageId, String sender, String to, String cc, String subject, String date,
            String dienstkennung, String sendersystem, String receivedBy, String receivedAt, Signature signature,
            String receiptRequestedBy, String body, List<AttachmentFile> attachments) {
    }

    /** The signature check's result, as the component reported it. */
    record Signature(String status, boolean valid, String signer, String certificateSubject, String certificateIssuer,
            String certificateSerial, String certificateNotAfter, String detail) {
    }

    /** One attachment as written to the folder. */
    record AttachmentFile(String file, String contentType, String description, long size, String sha256) {
    }

    private final Practice practice;
    private final DemoEvents events;
    private final Console console;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    InboxWriter(Practice practice, DemoEvents events, Console console) {
        this.practice = practice;
        this.events = events;
        this.console = console;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String messageId = in.getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        Files.createDirectories(practice.inbox());
        // Owner-only on POSIX systems (createTempDirectory), hidden while incomplete.
        Path incoming = Files.createTempDirectory(practice.inbox(), ".incoming-");
        Path folder;
        Metadata metadata;
        try {
            String text = in.getHeader(KvConnectConstants.TEXT, String.class);
            if (text != null) {
                Files.writeString(incoming.resolve(BODY_FILE), text, StandardCharsets.UTF_8);
            }
            List<AttachmentFile> attachments = writeAttachments(in, incoming);
            metadata = metadata(in, messageId, text != null ? BODY_FILE : null, attachments);
            json.writeValue(incoming.resolve(METADATA_FILE).toFile(), metadata);
            folder = moveToFreeName(incoming, SafeNames.folderName(messageId));
        } catch (IOException | RuntimeException e) {
            deleteRecursively(incoming);
            throw e;
        }

        String status = metadata.signature().status();
        String what = ArztbriefBuilder.DIENSTKENNUNG.equals(metadata.dienstkennung()) ? "eArztbrief"
                : "message (" + metadata.dienstkennung() + ")";
        console.event("[%s] received %s %s from %s; signature %s%s", practice.username(), what, messageId,
                metadata.sender(), status, metadata.signature().valid() ? " (signer " + metadata.signature().signer() + ")"
                        : " - NOT VALID, check " + METADATA_FILE);
        console.event("[%s]   stored in %s (%d attachment(s), %s%s)", practice.username(), folder,
                metadata.attachments().size(), metadata.body() != null ? BODY_FILE + ", " : "", METADATA_FILE);
        if (metadata.receiptRequestedBy() != null) {
            console.event("[%s]   Eingangsbestaetigung (MDN) requested: it is sent to %s now", practice.username(),
                    metadata.sender());
        }
        events.stored(new DemoEvents.Stored(messageId, folder, status));
    }

    private List<AttachmentFile> writeAttachments(Message in, Path dir) throws IOException {
        List<AttachmentFile> written = new ArrayList<>();
        AttachmentMessage am = in.getExchange().getMessage(AttachmentMessage.class);
        if (am == null || !am.hasAttachments()) {
            return written;
        }
        Set<String> taken = new HashSet<>(Set.of(BODY_FILE, METADATA_FILE));
        int counter = 0;
        for (Map.Entry<String, Attachment> entry : am.getAttachmentObjects().entrySet()) {
            counter++;
            String name = uniqueName(SafeNames.fileName(entry.getKey(), "attachment-" + counter), taken, counter);
            Attachment attachment = entry.getValue();
            Path target = SafeNames.inside(dir, name);
            MessageDigest sha256 = sha256();
            long size;
            try (InputStream data = new DigestInputStream(attachment.getDataHandler().getInputStream(), sha256)) {
                size = Files.copy(data, target);
            }
            written.add(new AttachmentFile(name, baseType(attachment.getDataHandler().getContentType()),
                    attachment.getHeader("Content-Description"), size, HexFormat.of().formatHex(sha256.digest())));
        }
        return written;
    }

    /** {@code application/pdf; name=x.pdf} becomes {@code application/pdf}. */
    private static String baseType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).strip().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitively unique within the folder (Windows and macOS file systems ignore case). */
    private static String uniqueName(String name, Set<String> taken, int counter) {
        String candidate = name;
        if (taken.contains(candidate.toLowerCase(Locale.ROOT)) || taken.contains(candidate)) {
            candidate = SafeNames.fileName(counter + "-" + name, "attachment-" + counter);
        }
        taken.add(candidate.toLowerCase(Locale.ROOT));
        return candidate;
    }

    private Metadata metadata(Message in, String messageId, String bodyFile, List<AttachmentFile> attachments) {
        X509Certificate signer = in.getHeader(KvConnectConstants.SIGNER_CERTIFICATE, X509Certificate.class);
        Signature signature = new Signature(in.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class),
                Boolean.TRUE.equals(in.getHeader(KvConnectConstants.SIGNATURE_VALID, Boolean.class)),
                in.getHeader(KvConnectConstants.SIGNER_ADDRESS, String.class),
                signer != null ? signer.getSubjectX500Principal().toString() : null,
                signer != null ? signer.getIssuerX500Principal().toString() : null,
                signer != null ? signer.getSerialNumber().toString(16) : null,
                signer != null ? signer.getNotAfter().toInstant().toString() : null,
                in.getHeader(KvConnectConstants.SIGNATURE_DETAIL, String.class));
        return new Metadata(messageId, in.getHeader(KvConnectConstants.FROM, String.class),
                in.getHeader(KvConnectConstants.TO, String.class), in.getHeader(KvConnectConstants.CC, String.class),
                in.getHeader(KvConnectConstants.SUBJECT, String.class), in.getHeader(KvConnectConstants.DATE, String.class),
                in.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class),
                in.getHeader(KvConnectConstants.SENDERSYSTEM, String.class), practice.address(),
                Instant.now().toString(), signature,
                in.getHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, String.class), bodyFile, attachments);
    }

    /** Renames the finished folder to {@code name}, or {@code name~2}, {@code name~3}, ... if that exists. */
    private Path moveToFreeName(Path incoming, String name) throws IOException {
        for (int n = 1; n < 1000; n++) {
            Path target = SafeNames.inside(practice.inbox(), n == 1 ? name : name + "~" + n);
            if (Files.exists(target)) {
                continue;
            }
            try {
                return Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another writer took the name in the meantime: try the next
            }
        }
        throw new IOException("More than 999 inbox folders for Message-ID " + name + " in " + practice.inbox()
                              + ": clean up the inbox");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a left-over hidden .incoming-* folder is harmless and says what it is.
        }
    }
}
