package io.github.camelkvconnect.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue F02: an I/O error while the consumer persists something (the delivered record, the message's work
 * directory) deletes nothing on the server; once the fault is gone the message is delivered.
 */
class PersistFailureTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /**
     * An idempotent repository whose storage fails (disk full, I/O error) while {@code failing} is set: a fault a real
     * file cannot be made to produce on demand as root (permissions do not stop root), hence this stand-in.
     */
    static final class FailingStorage extends MemoryIdempotentRepository {
        final AtomicBoolean failing = new AtomicBoolean(true);

        @Override
        public boolean add(String key) {
            if (failing.get()) {
                throw new UncheckedIOException(new IOException("No space left on device (simulated)"));
            }
            return super.add(key);
        }
    }

    @Test
    void deliveredRecordThatCannotBeWrittenKeepsTheMessageUntilItCanBe() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "must not be lost");
        FailingStorage storage = new FailingStorage();
        context.getRegistry().bind("storage", storage);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMinimumMessageCount(2);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "idempotentRepository=#storage&deleteFailureHandling=log")).routeId("bob")
                        .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        // delivered twice while the record cannot be written: each time it stays on the server
        inbox.assertIsSatisfied(20_000);
        assertEquals(1, mailbox(bob).size(), "nothing deleted without the delivered record");

        storage.failing.set(false);
        awaitMailboxSize(bob, 0);
        assertTrue(inbox.getReceivedExchanges().stream().allMatch(e -> "must not be lost".equals(e.getMessage().getBody())));
        assertEquals(1, storage.getCacheSize(), "recorded once the storage works again");
    }

    /** A real fault: the account's receive work directory is replaced by a regular file, so nothing can be written. */
    @Test
    void workDirectoryThatCannotBeWrittenKeepsTheMessageUntilItCanBe() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("must not be lost");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "failureBackoff=100&failureBackoffMax=100")).routeId("bob")
                        .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        Await.until("a first poll", Duration.ofSeconds(20), () -> consumer.getCounter() >= 1);
        Path work = receiveWork(bob);
        Files.delete(work);
        Files.writeString(work, "not a directory");
        send(alice, bob, "must not be lost");

        errors.assertIsSatisfied(20_000);
        KvConnectMessageException e = assertInstanceOf(KvConnectMessageException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertTrue(e.getMessage().contains("stays on the server"), e.getMessage());
        assertEquals(0, inbox.getReceivedCounter());
        assertEquals(1, mailbox(bob).size(), "nothing deleted");

        Files.delete(work);
        Files.createDirectory(work);
        MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, inbox);
        awaitMailboxSize(bob, 0);
    }
}
