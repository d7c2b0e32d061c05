package io.github.camelkvconnect.emulator.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelkvconnect.emulator.EmulatorException;

/**
 * The mailboxes. Delivery to several mailboxes is all-or-nothing and serialised, so the delivery sequence gives
 * every mailbox the same oldest-first order. With a data directory each message is one file
 * {@code mailboxes/<username>/<sequence>.eml}, written before the delivery is acknowledged.
 */
public final class MailStore {

    /** Thrown when a mailbox already holds a message with the same Message-ID. */
    public static final class DuplicateMessageException extends Exception {
        private static final long serialVersionUID = 1L;

        DuplicateMessageException(String message) {
            super(message);
        }
    }

    private final Path root;
    private final Spool spool;
    private final Map<String, Map<String, StoredMessage>> mailboxes = new ConcurrentHashMap<>();
    private final Object deliveryLock = new Object();
    private final AcceptedMessageIds accepted;
    private long nextSequence = 1;

    /**
     * @param dataDir the data directory, or null for memory only
     * @param spool   where large messages are kept without a data directory
     */
    public MailStore(Path dataDir, Spool spool) {
        this.root = dataDir == null ? null : dataDir.resolve("mailboxes");
        this.spool = spool;
        this.accepted = new AcceptedMessageIds(dataDir, AcceptedMessageIds.MAX_PER_SENDER);
        if (root != null) {
            load();
        }
    }

    /**
     * Normalises a Message-ID for lookups: trimmed, without the surrounding angle brackets.
     *
     * @param messageId the id with or without brackets
     * @return the key
     */
    public static String key(String messageId) {
        String id = messageId.trim();
        if (id.startsWith("<") && id.endsWith(">") && id.length() >= 2) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }

    /**
     * Delivers one message to every named mailbox, or to none.
     *
     * @param raw       the complete message
     * @param headers   its parsed headers; the Message-ID must be set
     * @param usernames the recipients' usernames
     * @throws DuplicateMessageException if a mailbox already holds the Message-ID (nothing is delivered)
     */
    public void deliver(byte[] raw, MessageHeaders headers, Collection<String> usernames) throws DuplicateMessageException {
        deliver(MessageContent.of(raw), headers, usernames);
    }

    /**
     * Delivers one message to every named mailbox, or to none. Each mailbox gets its own copy (file), so deleting
     * from one mailbox never affects another; the caller still owns {@code content}.
     *
     * @param content   the complete message
     * @param headers   its parsed headers; the Message-ID must be set
     * @param usernames the recipients' usernames
     * @throws DuplicateMessageException if a mailbox already holds the Message-ID (nothing is delivered)
     */
    public void deliver(MessageContent content, MessageHeaders headers, Collection<String> usernames)
            throws DuplicateMessageException {
        deliver(content, headers, usernames, null);
    }

    /**
     * Delivers a message a sender posted ({@code POST mails}), once: a Message-ID this sender already got accepted is
     * refused although its first copy may have been fetched and deleted by now (a client's retry after a lost answer
     * or a crash). The accepted Message-ID is remembered (durably, with a data directory) once the copies are stored.
     *
     * @param content        the complete message
     * @param headers        its parsed headers; the Message-ID must be set
     * @param usernames      the recipients' usernames
     * @param senderUsername the authenticated sender, or null for a message put in by the admin API
     * @throws DuplicateMessageException if the sender already got this Message-ID accepted or a mailbox already holds
     *                                   it (nothing is delivered)
     */
    public void deliver(MessageContent content, MessageHeaders headers, Collection<String> usernames, String senderUsername)
            throws DuplicateMessageException {
        String messageId = headers.messageId();
        String key = key(messageId);
        synchronized (deliveryLock) {
            if (senderUsername != null && accepted.contains(senderUsername, key)) {
                throw new DuplicateMessageException("Message-ID " + messageId + " was already accepted from "
                        + senderUsername + "; the message was not delivered again");
            }
            List<String> duplicates = new ArrayList<>();
            for (String user : usernames) {
                Map<String, StoredMessage> box = mailbox(user);
                synchronized (box) {
                    if (box.containsKey(key)) {
                        duplicates.add(user);
                    }
                }
            }
            if (!duplicates.isEmpty()) {
                throw new DuplicateMessageException("Message-ID " + messageId + " is already in the mailbox of "
                        + String.join(", ", duplicates) + "; the message was not delivered again");
            }
            long sequence = nextSequence++;
            List<Path> written = new ArrayList<>();
            List<StoredMessage> messages = new ArrayList<>();
            try {
                for (String user : usernames) {
                    Path file = write(user, sequence, content);
                    if (file != null) {
                        written.add(file);
                    }
                    messages.add(new StoredMessage(sequence, messageId, headers.listed(), content.size(),
                            file == null ? content.inMemory() : null, file));
                }
                if (senderUsername != null) {
                    // after the copies are stored: a crash before this line leaves the message delivered but not
                    // remembered (a retry is then refused only while a copy is still in a mailbox), never
                    // remembered but lost
                    accepted.add(senderUsername, key);
                }
            } catch (RuntimeException e) {
                // all or nothing: remove the copies already written
                for (Path file : written) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            int i = 0;
            for (String user : usernames) {
                StoredMessage message = messages.get(i++);
                Map<String, StoredMessage> box = mailbox(user);
                synchronized (box) {
                    box.put(key, message);
                }
            }
        }
    }

    /** @return the messages of the mailbox, oldest first */
    public List<StoredMessage> list(String username) {
        Map<String, StoredMessage> box = mailbox(username);
        synchronized (box) {
            return new ArrayList<>(box.values());
        }
    }

    /** @return the message with this Message-ID (brackets optional) */
    public Optional<StoredMessage> find(String username, String messageId) {
        Map<String, StoredMessage> box = mailbox(username);
        synchronized (box) {
            return Optional.ofNullable(box.get(key(messageId)));
        }
    }

    /** @return whether a message was deleted */
    public boolean delete(String username, String messageId) {
        Map<String, StoredMessage> box = mailbox(username);
        StoredMessage removed;
        synchronized (box) {
            removed = box.remove(key(messageId));
        }
        if (removed != null && removed.file() != null) {
            try {
                Files.deleteIfExists(removed.file());
            } catch (IOException e) {
                throw new EmulatorException("Cannot delete " + removed.file() + ": " + e.getMessage(), e);
            }
        }
        return removed != null;
    }

    /** @return how many messages were removed */
    public int clear(String username) {
        int count = 0;
        for (StoredMessage m : list(username)) {
            if (delete(username, m.messageId())) {
                count++;
            }
        }
        return count;
    }

    private Map<String, StoredMessage> mailbox(String username) {
        return mailboxes.computeIfAbsent(username.toLowerCase(Locale.ROOT), u -> new LinkedHashMap<>());
    }

    /** @return the stored copy, or null if the message stays in memory */
    private Path write(String user, long sequence, MessageContent content) {
        try {
            if (root == null) {
                if (content.inMemory() != null) {
                    return null;
                }
                Path copy = spool.newFile();
                try (java.io.InputStream in = content.open()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                return copy;
            }
            Path dir = Files.createDirectories(root.resolve(user.toLowerCase(Locale.ROOT)));
            Path file = dir.resolve(String.format("%020d.eml", sequence));
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (java.io.InputStream in = content.open();
                    java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(java.nio.channels.Channels.newOutputStream(channel));
                // durable before the delivery is acknowledged
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new EmulatorException("Cannot store a message for " + user + " in " + root + ": " + e.getMessage(), e);
        }
    }

    private void load() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> users = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path userDir : users) {
                TreeMap<Long, StoredMessage> ordered = new TreeMap<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(userDir, "*.eml")) {
                    for (Path file : files) {
                        long sequence = Long.parseLong(file.getFileName().toString().replace(".eml", ""));
                        MessageHeaders headers = MessageHeaders.parseFile(file);
                        String id = headers.messageId() == null ? "<seq-" + sequence + "@emulator>" : headers.messageId();
                        ordered.put(sequence, new StoredMessage(sequence, id, headers.listed(), Files.size(file), null, file));
                        nextSequence = Math.max(nextSequence, sequence + 1);
                    }
                }
                Map<String, StoredMessage> box = mailbox(userDir.getFileName().toString());
                ordered.values().forEach(m -> box.put(key(m.messageId()), m));
            }
        } catch (IOException | RuntimeException e) {
            throw new EmulatorException("Cannot read the stored mailboxes in " + root + ": " + e.getMessage(), e);
        }
    }
}
