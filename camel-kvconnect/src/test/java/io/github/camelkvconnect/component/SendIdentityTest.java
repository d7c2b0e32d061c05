package io.github.camelkvconnect.component;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the identity of an outgoing message is fixed: the documented derivation rules. */
class SendIdentityTest {

    private static final String ACCOUNT = "praxis@kv-safenet.de";
    private static final List<String> TO = List.of("kv@kv-safenet.de");
    private static final Pattern MSG_ID = Pattern.compile("<[0-9a-f]{40}@kv-safenet\\.de>");

    @TempDir
    Path dir;

    private final CamelContext context = new DefaultCamelContext();

    private Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setBody(body);
        return e;
    }

    @Test
    void aFileGetsTheSameMessageIdForTheSameNameContentAndRecipients() throws Exception {
        File a = Files.writeString(dir.resolve("abrechnung.xml"), "<a/>").toFile();
        SendIdentity first = SendIdentity.of(exchange(a), ACCOUNT, TO);
        SendIdentity again = SendIdentity.of(exchange(a.toPath()), ACCOUNT, TO);
        assertTrue(MSG_ID.matcher(first.messageId()).matches(), first.messageId());
        assertEquals(first, again, "a File and a Path of the same file");
        assertTrue(first.idempotencyKey().startsWith("file:abrechnung.xml|sha256:"), first.idempotencyKey());

        Files.writeString(a.toPath(), "<b/>");
        assertNotEquals(first.messageId(), SendIdentity.of(exchange(a), ACCOUNT, TO).messageId(), "other content");
        Files.writeString(a.toPath(), "<a/>");
        assertNotEquals(first.messageId(), SendIdentity.of(exchange(a), ACCOUNT, List.of("other@kv-safenet.de"))
                .messageId(), "other recipients");
        assertNotEquals(first.messageId(), SendIdentity.of(exchange(a), "other@kv-safenet.de", TO).messageId(),
                "another account");
        File renamed = Files.writeString(dir.resolve("abrechnung-2.xml"), "<a/>").toFile();
        assertNotEquals(first.messageId(), SendIdentity.of(exchange(renamed), ACCOUNT, TO).messageId(), "other name");
        assertEquals(first.messageId(), SendIdentity.of(exchange(a), ACCOUNT, List.of("KV@kv-safenet.de")).messageId(),
                "recipients compare case-insensitively");
    }

    @Test
    void aFileConsumersBodyIsKeyedByTheFileName() throws Exception {
        Path local = Files.writeString(dir.resolve("brief.pdf"), "%PDF");
        GenericFile<File> file = new GenericFile<>();
        file.setFile(local.toFile());
        file.setFileNameOnly("brief.pdf");
        file.setBody(local.toFile());
        Exchange e = exchange(file);
        e.getMessage().setHeader(Exchange.FILE_NAME_ONLY, "brief.pdf");
        assertEquals(SendIdentity.of(exchange(local), ACCOUNT, TO), SendIdentity.of(e, ACCOUNT, TO));
    }

    @Test
    void anIdempotencyKeyIsDerivedToTheSameMessageIdWhateverTheBody() throws Exception {
        Exchange one = exchange("text 1");
        one.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "rechnung-4711");
        Exchange two = exchange("text 2");
        two.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "rechnung-4711");
        SendIdentity identity = SendIdentity.of(one, ACCOUNT, TO);
        assertEquals(identity, SendIdentity.of(two, ACCOUNT, TO));
        assertEquals("key:rechnung-4711|to:kv@kv-safenet.de", identity.idempotencyKey());
        assertEquals(SendIdentity.derivedMessageId(ACCOUNT, identity.idempotencyKey()), identity.messageId());

        Exchange broken = exchange("x");
        broken.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "a\r\nb");
        assertThrows(KvConnectInvalidHeaderException.class, () -> SendIdentity.of(broken, ACCOUNT, TO));
    }

    @Test
    void anExplicitMessageIdIsItsOwnKey() throws Exception {
        Exchange e = exchange("x");
        e.getMessage().setHeader(KvConnectConstants.OUTGOING_MESSAGE_ID, "brief-1@praxis.example");
        SendIdentity identity = SendIdentity.of(e, ACCOUNT, TO);
        assertEquals("<brief-1@praxis.example>", identity.messageId());
        assertEquals("message-id:<brief-1@praxis.example>", identity.idempotencyKey());
    }

    @Test
    void otherBodiesWithoutKeyGetARandomMessageIdAndNoKey() throws Exception {
        SendIdentity one = SendIdentity.of(exchange("Befund"), ACCOUNT, TO);
        SendIdentity two = SendIdentity.of(exchange("Befund"), ACCOUNT, TO);
        assertNull(one.idempotencyKey());
        assertNotEquals(one.messageId(), two.messageId());
        assertNull(SendIdentity.of(exchange(new byte[] { 1, 2 }), ACCOUNT, TO).idempotencyKey());
        // a received exchange's Message-ID header is never the new message's identity
        Exchange forwarded = exchange("weiter");
        forwarded.getMessage().setHeader(KvConnectConstants.MESSAGE_ID, "<received@kv-safenet.de>");
        assertNotEquals("<received@kv-safenet.de>", SendIdentity.of(forwarded, ACCOUNT, TO).messageId());
    }
}
