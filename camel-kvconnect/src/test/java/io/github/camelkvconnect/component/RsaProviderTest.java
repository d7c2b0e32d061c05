package io.github.camelkvconnect.component;

import java.security.Provider;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.smime.RsaProviders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The option rsaProvider: the named JCA provider does the RSA operations of the producer's writer and the consumer's
 * reader; an unknown name stops the endpoint from starting.
 */
class RsaProviderTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void unknownProviderNameFailsTheStartNamingOptionAndValue() {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(kvc.uri(alice, testDir.resolve("p"), "rsaProvider=NoSuchRsa")));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        String message = cause.getMessage();
        assertTrue(message.startsWith("kvconnect:" + alice.address() + ": option rsaProvider NoSuchRsa:"), message);
        assertTrue(message.contains("no such JCA provider") && message.contains("auto"), message);
        assertFalse(message.contains(EmulatorFixture.PASSWORD) || message.contains(EmulatorFixture.PIN), message);
    }

    @Test
    void accpOnBothSidesDeliversValidMessagesInBothProfiles() throws Exception {
        boolean supportedPlatform = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                                    && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        assumeTrue(supportedPlatform, "the test dependency carries ACCP for linux-x86_64 only");
        Provider accp = RsaProviders.accelerated().orElseThrow(() -> new AssertionError(
                "the Amazon Corretto Crypto Provider (test dependency) must load and pass the self-test on linux-x86_64"));

        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        for (String profile : List.of("KVCONNECT", "KIM")) {
            String producer = kvc.uri(alice, testDir.resolve("producer-" + profile),
                    "profile=" + profile + "&rsaProvider=AmazonCorrettoCryptoProvider");
            Exchange sent = template.request(producer, x -> {
                x.getMessage().setBody("RSA nativ, " + profile);
                x.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            });
            assertNull(sent.getException());
            assertEquals(accp, context.getEndpoint(producer, KvConnectEndpoint.class).rsaProvider());
        }

        MockEndpoint inbox = receive(bob, "rsaProvider=auto", 2);
        assertEquals(accp, consumerEndpoint(bob).rsaProvider(), "auto picks ACCP when it is on the class path");
        for (Exchange in : inbox.getReceivedExchanges()) {
            Map<String, Object> h = in.getMessage().getHeaders();
            assertEquals("VALID", h.get(KvConnectConstants.SIGNATURE_STATUS),
                    () -> String.valueOf(h.get(KvConnectConstants.SIGNATURE_DETAIL)));
            assertEquals(alice.address(), h.get(KvConnectConstants.SIGNER_ADDRESS));
            assertTrue(String.valueOf(h.get(KvConnectConstants.TEXT)).startsWith("RSA nativ, "));
        }
        assertEquals(List.of("RSA nativ, KIM", "RSA nativ, KVCONNECT"), inbox.getReceivedExchanges().stream()
                .map(x -> x.getMessage().getHeader(KvConnectConstants.TEXT, String.class)).sorted().toList());
        awaitMailboxSize(bob, 0);
    }

    /**
     * The registered provider SUN has no RSA: a producer and a consumer configured with it fail their RSA operation,
     * which proves that the option reaches the writer and the reader. Nothing is sent, nothing is lost.
     */
    @Test
    void namedProviderDoesTheRsaOfWriterAndReader() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Exchange refused = template.request(kvc.uri(alice, testDir.resolve("producer-sun"), "rsaProvider=SUN"), x -> {
            x.getMessage().setBody("signed on SUN?");
            x.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        assertNotNull(refused.getException(), "SUN cannot sign with RSA");
        assertEquals(0, mailbox(bob).size(), "nothing was sent");

        String messageId = send(alice, bob, "signed with the defaults");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "rsaProvider=SUN")).routeId("bob").to("mock:inbox");
            }
        });
        errors.assertIsSatisfied(20_000);
        KvConnectDecryptionException e = assertInstanceOf(KvConnectDecryptionException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(messageId, e.getMessageId());
        assertEquals(0, getMockEndpoint("mock:inbox").getReceivedCounter());
        assertEquals(1, mailbox(bob).size(), "the message the reader's provider could not decrypt stays on the server");
    }
}
