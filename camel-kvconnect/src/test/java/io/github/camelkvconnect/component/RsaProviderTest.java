package io.github.camelkvconnect.component;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.CountingRsaProvider;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.smime.RsaProviders;
import io.github.camelkvconnect.smime.UnsuitableRsaProviderException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The option rsaProvider: the named JCA provider does the RSA operations of the producer's writer and the consumer's
 * reader; an unknown name, or a provider without the RSA services used, stops the endpoint from starting.
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
     * The registered provider SUN has no RSA at all: an endpoint configured with it does not start, and the error names
     * the provider and the first service it lacks (typed, so a caller can tell it from other configuration errors).
     * Before this check it started and failed only on the first message.
     */
    @Test
    void registeredProviderWithoutRsaFailsTheStartNamingTheMissingService() {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(kvc.uri(alice, testDir.resolve("p"), "rsaProvider=SUN")));
        UnsuitableRsaProviderException cause = assertInstanceOf(UnsuitableRsaProviderException.class, e.getCause());
        assertEquals("SUN", cause.providerName());
        assertEquals("Signature SHA256withRSA", cause.missingService());
        String message = cause.getMessage();
        assertTrue(message.startsWith("kvconnect:" + alice.address() + ": option rsaProvider SUN: the JCA provider SUN "
                                      + "does not offer Signature SHA256withRSA"), message);
        assertFalse(message.contains(EmulatorFixture.PASSWORD) || message.contains(EmulatorFixture.PIN), message);

        UnsuitableRsaProviderException noCipher = assertInstanceOf(UnsuitableRsaProviderException.class,
                assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint(
                        kvc.uri(alice, testDir.resolve("p2"), "rsaProvider=SunRsaSign"))).getCause());
        assertEquals("Cipher RSA/ECB/PKCS1Padding", noCipher.missingService());
    }

    /**
     * A registered provider that offers the RSA services passes the start check, and the producer's writer and the
     * consumer's reader really use it: its counters see the signature and key wrap when sending, the key unwrap and
     * the signature verification when receiving (profile KVCONNECT: SHA256withRSA, PKCS#1 v1.5 key transport).
     */
    @Test
    void namedProviderDoesTheRsaOfWriterAndReader() throws Exception {
        Provider counting = new CountingRsaProvider();
        Security.addProvider(counting);
        try {
            RsaProviders.requireRsaServices(counting); // the start check, done once per provider instance
            CountingRsaProvider.reset();
            EmulatorFixture.Account alice = kvc.account(unique("alice"));
            EmulatorFixture.Account bob = kvc.account(unique("bob"));
            String producer = kvc.uri(alice, testDir.resolve("producer-counting"), "rsaProvider=" + CountingRsaProvider.NAME);
            Exchange sent = template.request(producer, x -> {
                x.getMessage().setBody("signed on the counting provider");
                x.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            });
            assertNull(sent.getException());
            assertSame(counting, context.getEndpoint(producer, KvConnectEndpoint.class).rsaProvider());
            assertEquals(1, CountingRsaProvider.SIGNED.get(), "the writer signed on the named provider");
            assertEquals(2, CountingRsaProvider.WRAPPED.get(), "the writer wrapped the content key for bob and alice there");

            MockEndpoint inbox = receive(bob, "rsaProvider=" + CountingRsaProvider.NAME, 1);
            Map<String, Object> h = inbox.getReceivedExchanges().get(0).getMessage().getHeaders();
            assertEquals("VALID", h.get(KvConnectConstants.SIGNATURE_STATUS),
                    () -> String.valueOf(h.get(KvConnectConstants.SIGNATURE_DETAIL)));
            assertTrue(CountingRsaProvider.UNWRAPPED.get() >= 1, "the reader unwrapped the content key there");
            assertTrue(CountingRsaProvider.VERIFIED.get() >= 1, "the reader verified the PKCS#1 v1.5 signature there");
            awaitMailboxSize(bob, 0);
        } finally {
            Security.removeProvider(CountingRsaProvider.NAME);
        }
    }
}
