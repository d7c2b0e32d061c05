package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.crypto.OutgoingMessage;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue L01: a backlog drains in batches of maxMessagesPerPoll with bounded memory; every message is delivered and
 * the server is empty at the end.
 * <p>
 * The backlog is one real signed and encrypted message put into the mailbox under {@code kvconnect.backlog.count}
 * different Message-IDs (the Message-ID is a clear header of the transport message), so that building it costs one RSA
 * signature, not thousands; the consumer decrypts and verifies each copy. The default count keeps {@code mvn verify}
 * short; the full catalogue run is {@code -Dkvconnect.backlog.count=10000} (docs/kvconnect-component.md). Memory: the
 * heap used after a full GC once the backlog is on the server and again once it is drained; the emulator held the
 * backlog in this JVM before, so what the consumer kept is the difference plus the backlog's size.
 */
class BacklogDrainTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static final int COUNT = Integer.getInteger("kvconnect.backlog.count", 400);
    /** What the consumer may keep after draining, whatever the count (the delivered records are a few MB at most). */
    private static final long BOUND = 24L * 1024 * 1024;

    @Test
    void backlogDrainsCompletelyWithBoundedMemory() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String template = "<backlog-template@kv-safenet.de>";
        byte[] message = encrypted(alice, bob, template);
        String text = new String(message, StandardCharsets.ISO_8859_1);
        long backlogBytes = 0;
        for (int i = 0; i < COUNT; i++) {
            byte[] copy = text.replaceFirst("Message-ID: " + template, "Message-ID: <backlog-" + i + "@kv-safenet.de>")
                    .getBytes(StandardCharsets.ISO_8859_1);
            kvc.admin().injectMessage(bob.username(), copy);
            backlogBytes += copy.length;
        }
        assertEquals(COUNT, mailbox(bob).size());
        long before = usedAfterGc();

        AtomicInteger delivered = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "maxMessagesPerPoll=100")).routeId("bob").process(x -> {
                    if ("backlog".equals(x.getMessage().getHeader(KvConnectConstants.TEXT, String.class))) {
                        delivered.incrementAndGet();
                    }
                });
            }
        });
        Await.until(COUNT + " messages delivered and deleted", Duration.ofMinutes(10),
                () -> delivered.get() >= COUNT && mailbox(bob).isEmpty());
        long after = usedAfterGc();

        assertEquals(COUNT, delivered.get(), "every message delivered once");
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        assertTrue(consumer.getCounter() >= COUNT / 100, "drained in batches of maxMessagesPerPoll");
        long kept = after - (before - backlogBytes);
        System.out.printf("L01 backlog of %d (%d bytes): used heap after GC %d before, %d after; consumer kept %d bytes%n",
                COUNT, backlogBytes, before, after, kept);
        assertTrue(kept < BOUND, "the consumer kept " + kept + " bytes after draining " + COUNT + " messages");
    }

    /** One transport message from {@code from} to {@code to}, signed and encrypted with the component's own crypto. */
    private byte[] encrypted(EmulatorFixture.Account from, EmulatorFixture.Account to, String messageId) throws Exception {
        KvConnectEndpoint endpoint = context.getEndpoint(kvc.uri(from.username(), from.keystore(),
                testDir.resolve("sender"), ""), KvConnectEndpoint.class);
        endpoint.certificateCache().find(to.address());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", from.address());
        headers.put("To", to.address());
        headers.put("Subject", "backlog");
        headers.put("Message-ID", messageId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        endpoint.crypto().signAndEncrypt(new OutgoingMessage(textEntity("backlog"), headers, from.address(),
                List.of(to.address())), out);
        return out.toByteArray();
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
