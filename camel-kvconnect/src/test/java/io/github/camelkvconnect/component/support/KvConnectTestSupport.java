package io.github.camelkvconnect.component.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.component.CraftedMessages;
import io.github.camelkvconnect.emulator.MailboxEntry;

/**
 * Base for route tests against the emulator: subclasses register an {@link EmulatorFixture} once per class
 * ({@code @RegisterExtension static final EmulatorFixture kvc = EmulatorFixture.perTestClass();}); each test adds its own
 * routes and gets a fresh state directory.
 */
public abstract class KvConnectTestSupport extends CamelTestSupport {

    /** Fast polling for tests. */
    protected static final String FAST_POLL = "delay=100&initialDelay=0";

    @TempDir
    protected Path testDir;

    private EmulatorFixture kvc;

    /** Called by the fixture registered on the test class. */
    void useEmulator(EmulatorFixture fixture) {
        this.kvc = fixture;
    }

    protected EmulatorFixture kvc() {
        if (kvc == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no emulator: add "
                                            + "@RegisterExtension static final EmulatorFixture kvc = EmulatorFixture.perTestClass();");
        }
        return kvc;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // each test adds its routes
            }
        };
    }

    /** A state directory for one consumer that stays the same across context restarts within a test. */
    protected Path state(String name) {
        return testDir.resolve("state-" + name);
    }

    /** The consumer's receive work directory of an account (decrypted content in flight). */
    protected Path receiveWork(EmulatorFixture.Account account) {
        return io.github.camelkvconnect.component.state.WorkDirectories.receive(state(account.username()), account.address());
    }

    protected String consumerUri(EmulatorFixture.Account account, String options) {
        return kvc().uri(account, state(account.username()), FAST_POLL + (options.isEmpty() ? "" : "&" + options));
    }

    protected String producerUri(EmulatorFixture.Account account) {
        return kvc().uri(account, testDir.resolve("producer-" + account.username()), "");
    }

    protected List<MailboxEntry> mailbox(EmulatorFixture.Account account) {
        return kvc().admin().listMailbox(account.username());
    }

    protected static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends a text message with the producer (failing the test if that fails); answers the generated Message-ID. */
    protected String send(EmulatorFixture.Account from, EmulatorFixture.Account to, String text) {
        Exchange sent = template.request(producerUri(from), e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(KvConnectConstants.TO, to.address());
        });
        if (sent.getException() != null) {
            throw new AssertionError("sending to " + to.address() + " failed", sent.getException());
        }
        return sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
    }

    /**
     * Starts a consumer of the account (route id: the account's username) that routes to {@code mock:inbox} and waits
     * (20 s) for {@code count} messages.
     */
    protected MockEndpoint receive(EmulatorFixture.Account account, String options, int count) throws Exception {
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(count);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(account, options)).routeId(account.username()).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        return inbox;
    }

    /** The endpoint of the consumer started by {@link #receive}. */
    protected KvConnectEndpoint consumerEndpoint(EmulatorFixture.Account account) {
        return (KvConnectEndpoint) context.getRoute(account.username()).getEndpoint();
    }

    /**
     * Signs and encrypts an entity with the crypto of an endpoint for {@code sender} using {@code senderKeystore} (another
     * account's keystore forges the signature) and puts it straight into the recipient's mailbox, past the producer's
     * checks. Headers: From, To, Subject, a fresh Message-ID, then {@code extraHeaders}. Answers the Message-ID.
     */
    protected String inject(EmulatorFixture.Account sender, Path senderKeystore, EmulatorFixture.Account recipient,
                            MimeBodyPart entity, Map<String, String> extraHeaders) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", sender.address());
        headers.put("To", recipient.address());
        headers.put("Subject", "crafted");
        headers.put("Message-ID", "<" + unique("crafted") + "@kv-safenet.de>");
        headers.putAll(extraHeaders);
        return CraftedMessages.inject(context, kvc(), testDir.resolve("inject"), sender, senderKeystore, recipient, entity,
                headers);
    }

    /** A text/plain UTF-8 entity. */
    protected static MimeBodyPart textEntity(String text) throws Exception {
        MimeBodyPart entity = new MimeBodyPart();
        entity.setText(text, "utf-8");
        return entity;
    }

    protected void awaitMailboxSize(EmulatorFixture.Account account, int size) {
        Await.until(account.username() + " mailbox holds " + size + " message(s)", Duration.ofSeconds(20),
                () -> mailbox(account).size() == size);
    }
}
