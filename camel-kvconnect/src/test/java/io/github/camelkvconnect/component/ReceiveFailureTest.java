package io.github.camelkvconnect.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.state.FailureLedger;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.state.WorkDirectories;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.ErrorCapturingScheduler;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages that cannot be decrypted or whose signature is bad, and hostile inbound headers: nothing is deleted or
 * leaked, other messages keep flowing.
 */
class ReceiveFailureTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /** A crafted text message with a Dienstkennung and arbitrary routing headers, injected past the producer. */
    private String inject(EmulatorFixture.Account sender, Path senderKeystore, EmulatorFixture.Account recipient,
                          Map<String, String> extraHeaders, String text) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-KVC-Dienstkennung", "eMail-Dienst;Lieferung;V1.0");
        headers.putAll(extraHeaders);
        return inject(sender, senderKeystore, recipient, textEntity(text), headers);
    }

    /** The failure ledger of the consumer with the state directory {@code state("bob")}, as it last wrote it. */
    private FailureLedger ledgerOf(EmulatorFixture.Account account) throws Exception {
        return new FailureLedger(state("bob").resolve(StateFiles.accountFileName(account.address(), ".failures")),
                Duration.ofMinutes(1), Duration.ofMinutes(1), java.time.Clock.systemUTC());
    }

    /**
     * A JVM failure (here an OutOfMemoryError thrown by the route, a fault the real parts cannot produce on demand) while
     * a message is processed: the message is recorded in the failure ledger (backoff), stays on the server, and the
     * error does not escape the poll: polling goes on and the next message is delivered. What the consumer owns is
     * released: the decrypted files are deleted and the exchange is no longer in flight, so stopping does not wait for
     * the shutdown timeout.
     */
    @Test
    void outOfMemoryErrorIsRecordedKeepsTheMessageReleasesItsFilesAndPollingGoesOn() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "too much for the heap");
        send(alice, bob, "next");
        OutOfMemoryError injected = new OutOfMemoryError("injected by the test");
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("next");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        ErrorCapturingScheduler scheduler = new ErrorCapturingScheduler();
        context.getRegistry().bind("capturing", scheduler);
        Path receiveWork = WorkDirectories.receive(state("bob"), bob.address());
        List<Path> workWhileProcessing = new ArrayList<>();
        // another exchange in flight on the same route (e.g. still in an asynchronous step): its entry must stay
        Exchange unrelated = new DefaultExchange(context);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(kvc.uri(bob, state("bob"), "scheduler=#capturing&failureBackoff=600000")).routeId("bob")
                        .setBody(header(KvConnectConstants.TEXT))
                        .process(x -> {
                            if (!"too much for the heap".equals(x.getMessage().getBody(String.class))) {
                                return;
                            }
                            try (var files = Files.list(receiveWork)) {
                                workWhileProcessing.addAll(files.toList());
                            }
                            context.getInflightRepository().add(unrelated, "bob");
                            throw injected;
                        }).to("mock:inbox");
            }
        });

        MockEndpoint.assertIsSatisfied(20, java.util.concurrent.TimeUnit.SECONDS, inbox, errors);
        KvConnectMessageException reported = assertInstanceOf(KvConnectMessageException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertTrue(reported.getMessage().contains("OutOfMemoryError"), reported.getMessage());
        Await.until("the next message deleted", Duration.ofSeconds(20), () -> mailbox(bob).size() == 1);
        assertNull(scheduler.awaitEscaped(0), "nothing escapes the poll");
        FailureLedger ledger = ledgerOf(bob);
        assertEquals("PROCESSING", ledger.reason(id));
        assertEquals(1, ledger.attempts(id));
        assertEquals(List.of(id), mailbox(bob).stream().map(MailboxEntry::messageId).toList(), "still on the server");
        // Released before the error left the consumer: the message's work directory (download, decrypted parts) is gone
        // and the exchange is no longer in flight, neither for the context nor for the route (whose count the shutdown
        // waits for).
        assertEquals(1, workWhileProcessing.size(), "the message's work directory existed while it was processed");
        assertFalse(Files.exists(workWhileProcessing.get(0)), "the decrypted files are deleted");
        // the next message's exchange finishes just after its delete
        Await.until("no exchange in flight", Duration.ofSeconds(20), () -> context.getInflightRepository().size() == 0);
        assertEquals(1, context.getInflightRepository().size("bob"), "only the unrelated exchange is left in flight");
        context.getInflightRepository().remove(unrelated, "bob");
        assertEquals(0, context.getInflightRepository().size("bob"));
        context.getRouteController().stopRoute("bob");
        assertEquals(0, context.getInflightRepository().size("bob"));
    }

    /**
     * An Error thrown before the route counted the exchange as in flight (here by a route policy, whose start hook runs
     * before the route's in-flight count): the consumer's cleanup must not uncount another exchange of the route, which
     * would let a route stop while that exchange is still being processed.
     */
    @Test
    void errorBeforeTheRouteCountedTheExchangeLeavesOtherInFlightExchangesCounted() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "fails in the route policy");
        OutOfMemoryError injected = new OutOfMemoryError("injected by the test");
        ErrorCapturingScheduler scheduler = new ErrorCapturingScheduler();
        context.getRegistry().bind("capturing", scheduler);
        Exchange unrelated = new DefaultExchange(context);
        java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        RoutePolicySupport policy = new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                // once: the failed exchange the consumer then hands to the error handler passes here too
                if (thrown.compareAndSet(false, true)) {
                    context.getInflightRepository().add(unrelated, route.getRouteId());
                    throw injected;
                }
            }
        };
        List<String> reachedRoute = new ArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "scheduler=#capturing")).routeId("bob").routePolicy(policy)
                        .process(x -> reachedRoute.add("processed"));
            }
        });

        Await.until("the failure is recorded", Duration.ofSeconds(20), () -> {
            try {
                return "PROCESSING".equals(ledgerOf(bob).reason(id));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertNull(scheduler.awaitEscaped(0), "nothing escapes the poll");
        assertEquals(List.of(), reachedRoute);
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        long polls = consumer.getCounter();
        Await.until("two more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= polls + 2);
        assertEquals(0, context.getInflightRepository().size(), "the exchange's own registration is removed");
        assertEquals(1, context.getInflightRepository().size("bob"), "the unrelated exchange is still counted");
        assertEquals(List.of(id), mailbox(bob).stream().map(MailboxEntry::messageId).toList(), "still on the server");
        context.getInflightRepository().remove(unrelated, "bob");
    }

    /** An Error thrown in a route called by the consumer's route: both routes' in-flight entries are removed. */
    @Test
    void errorInACalledRouteUncountsTheExchangeInBothRoutes() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "fails in the called route");
        OutOfMemoryError injected = new OutOfMemoryError("injected by the test");
        ErrorCapturingScheduler scheduler = new ErrorCapturingScheduler();
        context.getRegistry().bind("capturing", scheduler);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "scheduler=#capturing")).routeId("bob").to("direct:called");
                from("direct:called").routeId("called").process(x -> {
                    throw injected;
                });
            }
        });

        Await.until("the failure is recorded", Duration.ofSeconds(20), () -> {
            try {
                return "PROCESSING".equals(ledgerOf(bob).reason(id));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        long polls = consumer.getCounter();
        Await.until("two more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= polls + 2);
        assertNull(scheduler.awaitEscaped(0), "nothing escapes the poll");
        assertEquals(0, context.getInflightRepository().size());
        assertEquals(0, context.getInflightRepository().size("bob"));
        assertEquals(0, context.getInflightRepository().size("called"));
    }

    @Test
    void undecryptableMessageStaysIsReportedBacksOffAndIsRetriedWhenTheKeystoreChanges() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String oldMessage = send(alice, bob, "encrypted for the old key");
        // Bob gets a new key and certificate; his keystore no longer has the key the first message needs.
        KeyPair newKeys = TestKeys.rsa();
        X509Certificate newCert = kvc.admin().issueCertificate(bob.username(), newKeys.getPublic());
        Path oldKeystore = testDir.resolve("bob-old.p12");
        Files.copy(bob.keystore(), oldKeystore);
        Path keystore = testDir.resolve("bob-current.p12");
        TestKeys.keystore(keystore, newKeys.getPrivate(), List.of(newCert, kvc.emulator().userCaCertificate()),
                EmulatorFixture.PIN);
        template.sendBodyAndHeader(producerUri(alice) + "&certificateCacheTtl=0", "for the new key",
                KvConnectConstants.TO, bob.address());

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("for the new key");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(2);
        String uri = kvc.uri(bob.username(), keystore, state("bob"), FAST_POLL + "&failureBackoff=300&failureBackoffMax=1000");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(uri).routeId("bob").setBody(header("CamelKvConnectText")).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        errors.assertIsSatisfied(20_000);
        Exchange failed = errors.getReceivedExchanges().get(0);
        KvConnectDecryptionException e = assertInstanceOf(KvConnectDecryptionException.class,
                failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(oldMessage, e.getMessageId());
        assertEquals(alice.address(), e.getSender());
        assertTrue(e.getMessage().contains(oldMessage) && e.getMessage().contains(alice.address()), e.getMessage());
        assertFalse(e.getMessage().contains(EmulatorFixture.PIN));
        assertEquals(oldMessage, failed.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertEquals(1, mailbox(bob).size(), "the undecryptable message stays on the server");
        assertEquals(oldMessage, mailbox(bob).get(0).messageId());
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        assertTrue(endpoint.getDecryptFailureCount() >= 2);

        // Backoff: with a long backoff there is no further attempt on the next polls (checked via the ledger count).
        long failures = endpoint.getDecryptFailureCount();
        // Installing a keystore that holds the old key makes the message due at once.
        inbox.reset();
        inbox.expectedBodiesReceived("encrypted for the old key");
        Files.copy(oldKeystore, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
        assertTrue(endpoint.getDecryptFailureCount() >= failures);
    }

    @Test
    void backoffPreventsRetryOnEveryPoll() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "old");
        KeyPair newKeys = TestKeys.rsa();
        X509Certificate newCert = kvc.admin().issueCertificate(bob.username(), newKeys.getPublic());
        Path keystore = TestKeys.keystore(testDir.resolve("bob-new.p12"), newKeys.getPrivate(), List.of(newCert),
                EmulatorFixture.PIN);
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        String uri = kvc.uri(bob.username(), keystore, state("bob"), FAST_POLL + "&failureBackoff=600000");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(uri).routeId("bob").to("mock:inbox");
            }
        });
        errors.assertIsSatisfied(20_000);
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        long polls = consumer.getCounter();
        Await.until("five more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= polls + 5);
        assertEquals(1, errors.getReceivedCounter(), "not retried on every poll");
        assertEquals(1, ((KvConnectEndpoint) context.getRoute("bob").getEndpoint()).getDecryptFailureCount());
        assertEquals(1, mailbox(bob).size());
    }

    @Test
    void badSignatureIsDeliveredWithWarningHeadersByDefault() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account mallory = kvc.account(unique("mallory"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        // Spoofing: the message claims to come from Mallory but is signed with Carol's (genuine) certificate.
        inject(mallory, carol.keystore(), bob, Map.of(), "forged");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        inbox.expectedHeaderReceived(KvConnectConstants.SIGNATURE_VALID, false);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "")).routeId("bob").to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        String status = inbox.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS,
                String.class);
        assertEquals("SIGNER_ADDRESS_MISMATCH", status);
        awaitMailboxSize(bob, 0);
        assertEquals(1, ((KvConnectEndpoint) context.getRoute("bob").getEndpoint()).getBadSignatureCount());
    }

    /**
     * With the default signaturePolicy=warn a message whose signature does not verify is delivered, but it gets no
     * automatic receipt: otherwise an outsider could learn from the receipt that a manipulated ciphertext decrypted.
     */
    @Test
    void noReceiptForAMessageWhoseSignatureDidNotVerify() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account mallory = kvc.account(unique("mallory"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        // oldest first: the forged message is processed before the genuine one
        inject(mallory, carol.keystore(), bob, textEntity("forged"),
                Map.of("Disposition-Notification-To", mallory.address()));
        template.send(producerUri(alice), e -> {
            e.getMessage().setBody("genuine");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, alice.address());
        });

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("forged", "genuine");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "sendMdn=true")).routeId("bob").setBody(header(KvConnectConstants.TEXT))
                        .to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        assertEquals(false, inbox.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.SIGNATURE_VALID));
        // The genuine message's receipt is sent after the forged message was done with: once it has arrived, a
        // receipt for the forged message would have arrived as well.
        awaitMailboxSize(alice, 1);
        awaitMailboxSize(bob, 0);
        assertTrue(mailbox(mallory).isEmpty(), "no receipt for a message whose signature did not verify");
    }

    @Test
    void badSignatureIsKeptOnTheServerWithPolicyReject() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account mallory = kvc.account(unique("mallory"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        String forgedId = inject(mallory, carol.keystore(), bob, Map.of(), "forged");
        send(alice, bob, "genuine");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("genuine");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "signaturePolicy=reject&failureBackoff=600000")).routeId("bob")
                        .setBody(header("CamelKvConnectText")).to("mock:inbox");
            }
        });
        MockEndpoint.assertIsSatisfied(20, java.util.concurrent.TimeUnit.SECONDS, inbox, errors);
        KvConnectSignatureException e = assertInstanceOf(KvConnectSignatureException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(forgedId, e.getMessageId());
        Await.until("only the forged message left", Duration.ofSeconds(20),
                () -> mailbox(bob).size() == 1 && mailbox(bob).get(0).messageId().equals(forgedId));
    }

    @Test
    void inboundHeadersNeverBecomeCamelHeaders() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("CamelFileName", "../../etc/cron.d/x");
        hostile.put("camelExecCommandExecutable", "/bin/sh");
        hostile.put("CamelHttpUri", "http://evil.example/");
        hostile.put("CAMELKVCONNECTFROM", "ceo@kv-safenet.de");
        hostile.put("org.apache.camel.Foo", "bar");
        hostile.put("mail.smtp.host", "evil.example");
        inject(alice, alice.keystore(), bob, hostile, "hostile headers");

        MockEndpoint inbox = receive(bob, "", 1);
        Map<String, Object> headers = inbox.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertNull(headers.get("CamelFileName"));
        assertNull(headers.get("camelExecCommandExecutable"));
        assertNull(headers.get("CamelHttpUri"));
        assertNull(headers.get("org.apache.camel.Foo"));
        assertNull(headers.get("mail.smtp.host"));
        assertEquals(alice.address(), headers.get(KvConnectConstants.FROM));
        for (String name : headers.keySet()) {
            assertTrue(name.startsWith("CamelKvConnect"), "unexpected header " + name);
        }
    }

    @Test
    void outboundHeaderInjectionAndMissingCertificatesAreRejectedBeforeSending() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String[][] cases = {
                { KvConnectConstants.SUBJECT, "Hello\r\nBcc: evil@example.org" },
                { KvConnectConstants.TO, bob.address() + "\r\nBcc: evil@example.org" },
                { KvConnectConstants.DIENSTKENNUNG, "Arztbrief\nX-Evil: 1" },
                { KvConnectConstants.IN_REPLY_TO, "<a@b>\r\nX-Evil: 1" },
                { KvConnectConstants.TO, "Bob <" + bob.address() + ">" },
        };
        for (String[] c : cases) {
            Exchange result = template.request(producerUri(alice), e -> {
                e.getMessage().setBody("x");
                e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
                e.getMessage().setHeader(c[0], c[1]);
            });
            assertInstanceOf(KvConnectInvalidHeaderException.class, result.getException(), c[0]);
        }
        String ghost1 = "ghost.one@kv-safenet.de";
        String ghost2 = "ghost.two@kv-safenet.de";
        Exchange missing = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address() + ", " + ghost1);
            e.getMessage().setHeader(KvConnectConstants.CC, ghost2);
        });
        KvConnectMissingCertificateException ex = assertInstanceOf(KvConnectMissingCertificateException.class,
                missing.getException());
        assertEquals(List.of(ghost1, ghost2), ex.getAddresses());
        assertTrue(ex.getMessage().contains(ghost1) && ex.getMessage().contains(ghost2));
        assertTrue(mailbox(bob).isEmpty(), "nothing was sent");

        // Without its own key and certificate the sender could not read its sent copy: refused as well.
        Exchange noKeystore = template.request(kvc.uri(alice.username(), testDir.resolve("missing.p12"),
                testDir.resolve("nokey"), ""), e -> {
                    e.getMessage().setBody("x");
                    e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
                });
        KvConnectMissingCertificateException own = assertInstanceOf(KvConnectMissingCertificateException.class,
                noKeystore.getException());
        assertTrue(own.getAddresses().get(0).startsWith(alice.address()), own.getAddresses().toString());
        assertTrue(mailbox(bob).isEmpty());
    }

    @Test
    void reusedMessageIdWithOtherContentIsStillDelivered() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "first");
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("first");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "")).setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
        // A sender (or an attacker) reuses the Message-ID: the idempotency record must not swallow the new message.
        inbox.reset();
        inbox.expectedBodiesReceived("second, same Message-ID");
        inject(alice, alice.keystore(), bob, Map.of("Message-ID", id), "second, same Message-ID");
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
    }
}
