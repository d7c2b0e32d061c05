package io.github.camelkvconnect.component.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.emulator.MailboxEntry;

/**
 * Base for route tests against the emulator: subclasses start an {@link EmulatorFixture} once per class; each test
 * adds its own routes and gets a fresh state directory.
 */
public abstract class KvConnectTestSupport extends CamelTestSupport {

    /** Fast polling for tests. */
    protected static final String FAST_POLL = "delay=100&initialDelay=0";

    @TempDir
    protected Path testDir;

    protected abstract EmulatorFixture kvc();

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

    protected void awaitMailboxSize(EmulatorFixture.Account account, int size) {
        Await.until(account.username() + " mailbox holds " + size + " message(s)", Duration.ofSeconds(20),
                () -> mailbox(account).size() == size);
    }
}
