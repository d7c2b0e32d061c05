package io.github.camelkvconnect.examples.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Stores a received KV-Connect message (headers, text, attachments) and its idempotency record in ONE JDBC
 * transaction. If the idempotency record exists already, the message was stored before (its exchange completed, but
 * the delete on the server did not happen) and nothing is written again.
 * <p>
 * An exception (connection lost, constraint violated) rolls everything back and propagates, so the exchange fails
 * and the {@code kvconnect} consumer keeps the message on the server for the next poll. Only a committed transaction
 * lets the exchange complete, which is what makes the consumer delete the message.
 * <p>
 * Sets the header {@link #DUPLICATE} to tell the route whether the message was new.
 */
public class InboxStore implements Processor {

    /** Header set by {@link #process(Exchange)}: {@code true} when the message had been stored before. */
    public static final String DUPLICATE = "KvConnectInboxDuplicate";

    private static final Logger LOG = LoggerFactory.getLogger(InboxStore.class);

    private static final String INSERT_KEY = "INSERT INTO kvc_processed_message (message_key) VALUES (?) ON CONFLICT DO NOTHING";
    private static final String INSERT_MESSAGE = "INSERT INTO kvc_inbox_message (message_key, account, message_id, sender,"
                                                 + " recipients, subject, dienstkennung, in_reply_to, signature_status, body_text)"
                                                 + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    private static final String INSERT_ATTACHMENT = "INSERT INTO kvc_inbox_attachment (message_pk, position, file_name,"
                                                    + " content_type, content) VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final String account;

    /**
     * @param dataSource the database (PostgreSQL)
     * @param account    the KV-Connect address of the receiving account; part of the idempotency key
     */
    public InboxStore(DataSource dataSource, String account) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.account = Objects.requireNonNull(account, "account");
    }

    /** Creates the tables if they do not exist (see {@code kvconnect-inbox-schema.sql}). */
    public static void createSchema(DataSource dataSource) throws SQLException, IOException {
        String ddl;
        try (InputStream in = InboxStore.class.getResourceAsStream("/kvconnect-inbox-schema.sql")) {
            ddl = new String(Objects.requireNonNull(in, "kvconnect-inbox-schema.sql missing").readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : ddl.split(";\\s*(\\R|$)")) {
                String sql = statement.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String messageId = in.getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        String key = account + "|" + messageId + "|" + contentHash(in.getMandatoryBody(MimeMessage.class));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean stored = store(c, key, in);
                c.commit();
                in.setHeader(DUPLICATE, !stored);
                if (stored) {
                    LOG.info("Stored message {} from {}", messageId, in.getHeader(KvConnectConstants.FROM));
                } else {
                    LOG.info("Message {} was stored before; not stored again", messageId);
                }
            } catch (Exception e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    /** Inserts the idempotency record, then the message; returns false (writing nothing) if the record exists. */
    private static boolean store(Connection c, String key, Message in) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEY)) {
            ps.setString(1, key);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        long pk;
        try (PreparedStatement ps = c.prepareStatement(INSERT_MESSAGE)) {
            ps.setString(1, key);
            ps.setString(2, key.substring(0, key.indexOf('|')));
            ps.setString(3, in.getHeader(KvConnectConstants.MESSAGE_ID, String.class));
            ps.setString(4, in.getHeader(KvConnectConstants.FROM, String.class));
            ps.setString(5, joinNonNull(in.getHeader(KvConnectConstants.TO, String.class), in.getHeader(KvConnectConstants.CC, String.class)));
            ps.setString(6, in.getHeader(KvConnectConstants.SUBJECT, String.class));
            ps.setString(7, in.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class));
            ps.setString(8, in.getHeader(KvConnectConstants.IN_REPLY_TO, String.class));
            ps.setString(9, in.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class));
            ps.setString(10, in.getHeader(KvConnectConstants.TEXT, String.class));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pk = rs.getLong(1);
            }
        }
        AttachmentMessage am = in.getExchange().getMessage(AttachmentMessage.class);
        if (am.hasAttachments()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_ATTACHMENT)) {
                int position = 0;
                for (Map.Entry<String, DataHandler> a : am.getAttachments().entrySet()) {
                    try (InputStream content = a.getValue().getInputStream()) {
                        ps.setLong(1, pk);
                        ps.setInt(2, position++);
                        ps.setString(3, a.getKey());
                        ps.setString(4, a.getValue().getContentType());
                        ps.setBinaryStream(5, content);
                        ps.executeUpdate();
                    }
                }
            }
        }
        return true;
    }

    /** SHA-256 of the decrypted entity, streamed: a new message that reuses an old Message-ID is still stored. */
    private static String contentHash(MimeMessage entity) throws IOException, MessagingException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            entity.writeTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String joinNonNull(String to, String cc) {
        return cc == null || cc.isEmpty() ? to : to + ", " + cc;
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
