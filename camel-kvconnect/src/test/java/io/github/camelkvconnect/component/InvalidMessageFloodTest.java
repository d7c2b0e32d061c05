package io.github.camelkvconnect.component;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.CapturedLog;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue L03: a flood of invalid messages ahead of valid ones (oldest first) does not starve the valid ones: every
 * poll makes progress, each invalid message is read once (then waits in the failure ledger) and goes to the error
 * handler, and the consumer's WARN lines for them are rate-limited.
 */
class InvalidMessageFloodTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static final int INVALID = 200;
    private static final int VALID = 3;
    private static final int PER_POLL = 20;

    /** A transport message that claims to be S/MIME enveloped data but holds random bytes. */
    private static byte[] invalidMessage(EmulatorFixture.Account from, EmulatorFixture.Account to, int i, Random random) {
        byte[] junk = new byte[600];
        random.nextBytes(junk);
        String raw = "From: " + from.address() + "\r\nTo: " + to.address() + "\r\nMessage-ID: <flood-" + i
                     + "@kv-safenet.de>\r\nSubject: flood\r\nMIME-Version: 1.0\r\n"
                     + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                     + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(junk) + "\r\n";
        return raw.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void floodOfInvalidMessagesDoesNotStarveValidOnesAndIsLoggedRateLimited() throws Exception {
        EmulatorFixture.Account mallory = kvc.account(unique("mallory"));
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Random random = new Random(42);
        for (int i = 0; i < INVALID; i++) {
            kvc.admin().injectMessage(bob.username(), invalidMessage(mallory, bob, i, random));
        }
        for (int i = 0; i < VALID; i++) {
            send(alice, bob, "valid " + i);
        }
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("valid 0", "valid 1", "valid 2");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(INVALID);

        try (CapturedLog log = CapturedLog.start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(deadLetterChannel("mock:errors"));
                    from(consumerUri(bob, "maxMessagesPerPoll=" + PER_POLL)).routeId("bob")
                            .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
                }
            });
            MockEndpoint.assertIsSatisfied(60, TimeUnit.SECONDS, inbox, errors);
            KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
            // every poll works through a full batch: the valid messages come with the first poll that reaches them
            long polls = consumer.getCounter();
            assertTrue(polls <= (INVALID + VALID) / PER_POLL + 3, "polls until the valid messages were delivered: " + polls);
            KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
            assertEquals(INVALID, endpoint.getDecryptFailureCount(), "each invalid message read once (then backoff)");
            awaitMailboxSize(bob, INVALID);

            List<String> warnings = log.consumerLines("WARN", "Cannot decrypt message");
            assertTrue(warnings.size() <= KvConnectConsumer.FAILURE_WARNINGS_PER_MINUTE,
                    warnings.size() + " WARN lines for " + INVALID + " invalid messages");
            assertTrue(warnings.size() >= 1, "the first failures are logged");
        }
    }
}
