package io.github.camelkvconnect.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Endpoints of several accounts share one state directory: starting a consumer cleans only its own account's receive
 * directory, never the decrypted content another endpoint has in flight; and a second consumer on the same account
 * and state directory is refused while the first one runs.
 */
class WorkDirectoryIsolationTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /**
     * Earlier versions received in {@code <stateDirectory>/work/msg-<number>}: a consumer start (holding its account lock)
     * removes such leftovers, which may hold decrypted content, and leaves today's per-account directories alone.
     */
    @Test
    void consumerStartRemovesLeftoversOfTheOldWorkDirectoryLayout() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "after the upgrade");
        Path work = state(bob.username()).resolve("work");
        Path leftover = Files.createDirectories(work.resolve("msg-1234567890123"));
        Files.writeString(leftover.resolve("decrypted-letter.txt"), "plain text of an old message");
        Path othersInFlight = io.github.camelkvconnect.component.state.WorkDirectories
                .receive(state(bob.username()), "carol@kv-safenet.de").resolve("msg-99").resolve("in-1.eml");
        Files.createDirectories(othersInFlight.getParent());
        Files.writeString(othersInFlight, "another account's message in flight");

        MockEndpoint inbox = receive(bob, "", 1);
        assertEquals("after the upgrade", inbox.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.TEXT));
        assertFalse(Files.exists(leftover), "the old layout's message directory is removed at the start");
        assertTrue(Files.exists(othersInFlight), "today's layout of another account is not touched");
    }

    @Test
    void startingAConsumerKeepsTheInFlightFilesOfAnotherAccount() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        template.sendBodyAndHeader(producerUri(alice), "for bob", KvConnectConstants.TO, bob.address());
        template.sendBodyAndHeader(producerUri(alice), "for carol", KvConnectConstants.TO, carol.address());
        Path shared = testDir.resolve("shared-state");

        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MockEndpoint bobInbox = getMockEndpoint("mock:bob");
        bobInbox.expectedBodiesReceived("for bob");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, shared, FAST_POLL)).routeId("bob").process(e -> {
                    inFlight.countDown();
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                }).setBody(header(KvConnectConstants.TEXT)).to("mock:bob");
            }
        });
        assertTrue(inFlight.await(20, TimeUnit.SECONDS), "bob's message is in flight");
        List<Path> bobsFiles;
        try (var files = Files.walk(shared.resolve("work"))) {
            bobsFiles = files.filter(Files::isRegularFile).toList();
        }
        assertFalse(bobsFiles.isEmpty(), "bob's downloaded and decrypted files are in the work directory");

        MockEndpoint carolInbox = getMockEndpoint("mock:carol");
        carolInbox.expectedBodiesReceived("for carol");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(carol, shared, FAST_POLL)).routeId("carol").setBody(header(KvConnectConstants.TEXT))
                        .to("mock:carol");
            }
        });
        carolInbox.assertIsSatisfied(20_000);
        for (Path file : bobsFiles) {
            assertTrue(Files.exists(file), "carol's consumer start must not delete " + file);
        }
        release.countDown();
        bobInbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
    }

    @Test
    void secondConsumerOnTheSameAccountAndStateDirectoryIsRefused() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path state = testDir.resolve("state");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state, FAST_POLL)).routeId("first").to("mock:first");
            }
        });
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state, "delay=250")).routeId("second").to("mock:second");
            }
        }));
        KvConnectAccountLockedException locked = cause(e, KvConnectAccountLockedException.class);
        assertNotNull(locked, "expected KvConnectAccountLockedException in " + e);
        assertEquals(bob.address(), locked.getAccount());
        assertTrue(locked.getMessage().contains(bob.address()) && locked.getMessage().contains("only one consumer"),
                locked.getMessage());

        // released when the first consumer stops
        context.getRouteController().stopRoute("first");
        context.removeRoute("first");
        MockEndpoint third = getMockEndpoint("mock:third");
        third.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state, FAST_POLL)).routeId("third").to("mock:third");
            }
        });
        template.sendBodyAndHeader(producerUri(kvc.account(unique("alice"))), "hello", KvConnectConstants.TO,
                bob.address());
        third.assertIsSatisfied(20_000);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
