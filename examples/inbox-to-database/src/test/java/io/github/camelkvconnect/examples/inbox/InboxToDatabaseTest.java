package io.github.camelkvconnect.examples.inbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.emulator.KvConnectEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example route against the embedded KV-Connect emulator (HTTPS) and a real PostgreSQL server started from the
 * embedded binaries: a message is stored together with its idempotency record and deleted on the server only after
 * the commit; a database failure keeps it on the server; redelivery never stores it twice.
 */
class InboxToDatabaseTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // failureBackoff short: a message whose transaction failed is read again soon after the database works again
    private static final String FAST_POLL = "delay=100&initialDelay=0&failureBackoff=100";

    @TempDir
    static Path dir;

    static KvConnectEmulator emulator;
    static EmbeddedPostgres postgres;
    static DataSource db;
    static KvcTestAccounts accounts;

    private final List<CamelContext> contexts = new ArrayList<>();
    private String alice;
    private String bob;

    @BeforeAll
    static void start() throws Exception {
        emulator = KvConnectEmulator.builder().start();
        postgres = EmbeddedPostgres.builder().start();
        db = postgres.getPostgresDatabase();
        InboxStore.createSchema(db);
        accounts = new KvcTestAccounts(emulator, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
        postgres.close();
    }

    @BeforeEach
    void newAccounts() throws Exception {
        alice = "alice." + UUID.randomUUID().toString().substring(0, 8);
        bob = "bob." + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(alice);
        accounts.create(bob);
    }

    @AfterEach
    void stopContexts() throws Exception {
        for (CamelContext camel : contexts) {
            camel.close();
        }
        emulator.admin().resetFaults();
    }

    @Test
    void messageIsStoredWithItsAttachmentAndDeletedOnTheServerAfterTheCommit() throws Exception {
        byte[] pdf = new byte[200_000];
        new Random(42).nextBytes(pdf);
        String messageId = send(alice, bob, "Befund anbei", "befund.pdf", pdf);

        startInboxRoute(bob, "main");

        awaitMailboxSize(bob, 0);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT m.message_id, m.sender, m.recipients, m.subject, m.dienstkennung,"
                                                       + " m.signature_status, m.body_text, a.file_name, a.content_type, a.content,"
                                                       + " p.message_key FROM kvc_inbox_message m"
                                                       + " JOIN kvc_inbox_attachment a ON a.message_pk = m.id"
                                                       + " JOIN kvc_processed_message p ON p.message_key = m.message_key"
                                                       + " WHERE m.account = ?")) {
            ps.setString(1, KvcTestAccounts.address(bob));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a stored message");
                assertEquals(messageId, rs.getString("message_id"));
                assertEquals(KvcTestAccounts.address(alice), rs.getString("sender"));
                assertTrue(rs.getString("recipients").contains(KvcTestAccounts.address(bob)));
                assertEquals("Laborbefund", rs.getString("subject"));
                assertEquals("Arztbrief;VHitG-Versand;V1.0", rs.getString("dienstkennung"));
                assertEquals("VALID", rs.getString("signature_status"));
                assertEquals("Befund anbei", rs.getString("body_text").strip());
                assertEquals("befund.pdf", rs.getString("file_name"));
                assertTrue(rs.getString("content_type").startsWith("application/pdf"), rs.getString("content_type"));
                assertArrayEquals(pdf, rs.getBytes("content"));
                assertTrue(rs.getString("message_key").startsWith(KvcTestAccounts.address(bob) + "|" + messageId + "|"));
                assertTrue(!rs.next(), "exactly one row");
            }
        }
    }

    @Test
    void databaseFailureRollsBackAndKeepsTheMessageUntilARedeliveryStoresItOnce() throws Exception {
        // A real constraint of the database fails the transaction after the message row was inserted: the rollback
        // must take the message row and the idempotency record with it.
        execute("CREATE FUNCTION kvc_reject_attachment() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'attachment storage is full'; END $$");
        execute("CREATE TRIGGER kvc_reject_attachment BEFORE INSERT ON kvc_inbox_attachment"
                + " FOR EACH ROW EXECUTE FUNCTION kvc_reject_attachment()");
        try {
            String messageId = send(alice, bob, "Befund anbei", "befund.ldt", "8000 LDT".getBytes(StandardCharsets.ISO_8859_1));
            CamelContext camel = startInboxRoute(bob, "main");
            KvConnectEndpoint endpoint = (KvConnectEndpoint) camel.getRoute(InboxToDatabaseRoute.ROUTE_ID).getEndpoint();

            Await.until("the failed exchange kept the message on the server", TIMEOUT,
                    () -> endpoint.getKeptOnServerCount() >= 1);
            assertEquals(1, emulator.admin().listMailbox(bob).size(), "a failed transaction must not delete");
            assertEquals(0, count("kvc_inbox_message", messageId), "the message row is rolled back");
            assertEquals(0, count("kvc_processed_message", messageId), "the idempotency record is rolled back");
        } finally {
            execute("DROP TRIGGER kvc_reject_attachment ON kvc_inbox_attachment");
            execute("DROP FUNCTION kvc_reject_attachment()");
        }

        // The database works again: the next poll delivers the message again and it is stored once.
        awaitMailboxSize(bob, 0);
        assertEquals(1, countForAccount("kvc_inbox_message", bob));
        assertEquals(1, countForAccount("kvc_processed_message", bob));
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content FROM kvc_inbox_attachment a JOIN kvc_inbox_message m"
                                                       + " ON a.message_pk = m.id WHERE m.account = ?")) {
            ps.setString(1, KvcTestAccounts.address(bob));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("8000 LDT", new String(rs.getBytes(1), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void messageDeliveredAgainAfterALostDeleteIsNotStoredTwice() throws Exception {
        String messageId = send(alice, bob, "Befund anbei", "befund.ldt", "8000 LDT".getBytes(StandardCharsets.ISO_8859_1));
        // The route commits, but every delete on the server fails: the message stays there.
        emulator.admin().faults().failDelete(Integer.MAX_VALUE, 503, false);
        CamelContext first = startInboxRoute(bob, "first-node");
        KvConnectEndpoint endpoint = (KvConnectEndpoint) first.getRoute(InboxToDatabaseRoute.ROUTE_ID).getEndpoint();
        Await.until("the delete failed", TIMEOUT, () -> endpoint.getDeleteFailureCount() >= 1);
        first.close();
        emulator.admin().resetFaults();
        assertEquals(1, emulator.admin().listMailbox(bob).size());
        assertEquals(1, count("kvc_inbox_message", messageId));

        // A consumer without the first one's local state (another node, or a lost state directory) receives the
        // message again; the idempotency record in the database recognises it.
        CamelContext second = camel(bob, "second-node");
        NotifyBuilder completed = new NotifyBuilder(second).whenCompleted(1).create();
        second.start();
        assertTrue(completed.matches(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        awaitMailboxSize(bob, 0);
        assertEquals(1, count("kvc_inbox_message", messageId), "stored exactly once");
        assertEquals(1, count("kvc_processed_message", messageId));
    }

    // ---- helpers

    private String send(String from, String to, String text, String fileName, byte[] content) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            Exchange sent = template.request(accounts.uri(from, "producer-" + from, ""), e -> {
                e.getMessage().setBody(text);
                e.getMessage().setHeader(KvConnectConstants.TO, KvcTestAccounts.address(to));
                e.getMessage().setHeader(KvConnectConstants.SUBJECT, "Laborbefund");
                e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, "Arztbrief;VHitG-Versand;V1.0");
                e.getMessage(AttachmentMessage.class).addAttachment(fileName,
                        new DataHandler(new ByteArrayDataSource(content, fileName.endsWith(".pdf") ? "application/pdf" : "text/plain")));
            });
            if (sent.getException() != null) {
                throw sent.getException();
            }
            return sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        }
    }

    private CamelContext startInboxRoute(String account, String stateName) throws Exception {
        CamelContext camel = camel(account, stateName);
        camel.start();
        return camel;
    }

    private CamelContext camel(String account, String stateName) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.addRoutes(new InboxToDatabaseRoute(accounts.uri(account, stateName + "-" + account, FAST_POLL), db,
                KvcTestAccounts.address(account)));
        return camel;
    }

    private void awaitMailboxSize(String account, int size) {
        Await.until(account + " has " + size + " message(s) on the server", TIMEOUT,
                () -> emulator.admin().listMailbox(account).size() == size);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int count(String table, String messageId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE message_key LIKE ?")) {
            ps.setString(1, "%|" + messageId + "|%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int countForAccount(String table, String account) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE message_key LIKE ?")) {
            ps.setString(1, KvcTestAccounts.address(account) + "|%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
