package io.github.camelkvconnect.component;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;
import org.apache.camel.component.file.GenericFile;

import io.github.camelkvconnect.component.mime.HeaderValues;

/**
 * The identity of an outgoing message, fixed before anything is posted: its idempotency key (the send ledger's key)
 * and the Message-ID it is sent under if the key is new. The rules, in order:
 * <ol>
 * <li>{@code CamelKvConnectOutgoingMessageId} set: that Message-ID; key {@code CamelKvConnectIdempotencyKey} if set,
 * else the Message-ID itself.</li>
 * <li>{@code CamelKvConnectIdempotencyKey} set: key = that value and the recipients; the Message-ID is derived from the
 * account and the key.</li>
 * <li>a file body (a file consumer's {@link WrappedFile}, {@link File}, {@link Path}) whose content is a local file or
 * bytes: key = the file name, the SHA-256 of its content and the recipients; Message-ID derived as above.</li>
 * <li>anything else: no key and a random Message-ID; such a send is not retry-safe.</li>
 * </ol>
 * Derived Message-IDs are {@code <hex of SHA-256(account, key), 40 digits>@<account domain>>}: the same key gives the
 * same Message-ID also when the ledger was lost, and two accounts never derive the same one. The recipients are part of
 * derived keys so that the same file sent to two recipients in two steps is two messages.
 */
record SendIdentity(String idempotencyKey, String messageId) {

    /**
     * @param account    the sending account's address
     * @param recipients To and Cc, validated
     */
    static SendIdentity of(Exchange exchange, String account, List<String> recipients)
            throws KvConnectInvalidHeaderException, IOException {
        Message m = exchange.getMessage();
        String explicitId = HeaderValues.ownMessageId(KvConnectConstants.OUTGOING_MESSAGE_ID,
                m.getHeader(KvConnectConstants.OUTGOING_MESSAGE_ID, String.class));
        String key = m.getHeader(KvConnectConstants.IDEMPOTENCY_KEY, String.class);
        if (key != null && !key.isBlank()) {
            HeaderValues.text(KvConnectConstants.IDEMPOTENCY_KEY, key);
            key = "key:" + key.strip() + "|to:" + recipientList(recipients);
        } else if (explicitId != null) {
            key = "message-id:" + explicitId;
        } else {
            key = fileKey(m, recipients);
        }
        if (explicitId != null) {
            return new SendIdentity(key, explicitId);
        }
        if (key != null) {
            return new SendIdentity(key, derivedMessageId(account, key));
        }
        return new SendIdentity(null, randomMessageId(account));
    }

    static String randomMessageId(String account) {
        return "<" + UUID.randomUUID() + "@" + domain(account) + ">";
    }

    static String derivedMessageId(String account, String key) {
        byte[] hash = sha256().digest(("kvconnect-send\n" + account.toLowerCase(Locale.ROOT) + "\n" + key)
                .getBytes(StandardCharsets.UTF_8));
        return "<" + HexFormat.of().formatHex(hash).substring(0, 40) + "@" + domain(account) + ">";
    }

    /** File name + SHA-256 of the content + recipients, or null if the body is no file whose content can be hashed. */
    static String fileKey(Message m, List<String> recipients) throws IOException {
        Object body = m.getBody();
        String name;
        String hash;
        if (body instanceof WrappedFile<?> wrapped) {
            Path local = localFile(wrapped.getFile());
            Object content = wrapped.getBody();
            if (local == null) {
                local = localFile(content);
            }
            name = m.getHeader(Exchange.FILE_NAME_ONLY, String.class);
            if ((name == null || name.isBlank()) && wrapped instanceof GenericFile<?> file) {
                name = file.getFileNameOnly();
            }
            if ((name == null || name.isBlank()) && local != null) {
                name = local.getFileName().toString();
            }
            if (local != null && Files.isRegularFile(local)) {
                hash = sha256Hex(local);
            } else if (content instanceof byte[] bytes) {
                hash = HexFormat.of().formatHex(sha256().digest(bytes));
            } else {
                return null; // a streamed remote file: hashing would consume the stream
            }
        } else {
            Path local = localFile(body);
            if (local == null || !Files.isRegularFile(local)) {
                return null;
            }
            name = local.getFileName().toString();
            hash = sha256Hex(local);
        }
        return "file:" + (name == null ? "" : name) + "|sha256:" + hash + "|to:" + recipientList(recipients);
    }

    private static Path localFile(Object o) {
        if (o instanceof File f) {
            return f.toPath();
        }
        return o instanceof Path p ? p : null;
    }

    private static String recipientList(List<String> recipients) {
        TreeSet<String> sorted = new TreeSet<>();
        recipients.forEach(r -> sorted.add(r.toLowerCase(Locale.ROOT)));
        return String.join(",", sorted);
    }

    private static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    private static String domain(String account) {
        return account.substring(account.indexOf('@') + 1);
    }
}
