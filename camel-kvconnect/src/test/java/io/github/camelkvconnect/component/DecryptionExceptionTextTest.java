package io.github.camelkvconnect.component;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.crypto.DecryptionFailedException;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text of {@link KvConnectDecryptionException} says what the reason means and what to do about it: the keystore
 * advice only where a key is missing, never for damaged, unencrypted or over-limit messages.
 */
class DecryptionExceptionTextTest extends KvConnectTestSupport {

    private static final String ID = "<m1@kv-safenet.de>";
    private static final String SENDER = "praxis.a@kv-safenet.de";
    private static final String KEYSTORE_ADVICE = "keystore holds the key";

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static String text(String reason, String smimeText) {
        DecryptionFailedException cause = smimeText == null ? null : new DecryptionFailedException(reason, smimeText, null);
        KvConnectDecryptionException e = new KvConnectDecryptionException(ID, SENDER, reason, cause);
        assertTrue(e.getMessage().contains(ID) && e.getMessage().contains(SENDER) && e.getMessage().contains(reason),
                e.getMessage());
        assertTrue(e.getMessage().contains("stays on the server"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void noMatchingRecipientKeepsTheKeystoreAdvice() {
        String text = text("NO_MATCHING_RECIPIENT", "NO_MATCHING_RECIPIENT: The message cannot be decrypted");
        assertTrue(text.contains("keystore holds no key for the certificate the message was encrypted to"), text);
        assertTrue(text.contains(KEYSTORE_ADVICE), text);
    }

    @Test
    void truncatedAsksForAResend() {
        String text = text("TRUNCATED", "TRUNCATED: The encrypted data is incomplete");
        assertTrue(text.contains("download was cut off") && text.contains("ask the sender to send it again"), text);
        assertFalse(text.contains(KEYSTORE_ADVICE), text);
    }

    @Test
    void tamperedAndCorruptAreIntegrityFailures() {
        for (String reason : List.of("CORRUPT_DATA", "AUTHENTICATION_FAILED")) {
            String text = text(reason, reason + ": The encrypted data was altered");
            assertTrue(text.contains("Integrity failure") && text.contains("Do not trust"), text);
            assertFalse(text.contains(KEYSTORE_ADVICE), text);
        }
    }

    @Test
    void notEncryptedIsRefused() {
        String text = text(DecryptionFailedException.NOT_ENCRYPTED, "MALFORMED_MIME: The message is not encrypted (text/plain)");
        assertTrue(text.contains("Refused") && text.contains("unencrypted mail is not accepted"), text);
        assertFalse(text.contains(KEYSTORE_ADVICE), text);
    }

    @Test
    void limitExceededNamesTheLimitAndItsValue() {
        String text = text("LIMIT_EXCEEDED",
                "LIMIT_EXCEEDED: More than 1000 MIME parts (limit maxPartCount); the message is refused");
        assertTrue(text.contains("More than 1000 MIME parts (limit maxPartCount)"), text);
        assertTrue(text.contains("only if you trust the sender"), text);
        assertFalse(text.contains("LIMIT_EXCEEDED: More"), "the reason code is not repeated: " + text);
        assertFalse(text.contains(KEYSTORE_ADVICE), text);

        String size = text("LIMIT_EXCEEDED", "LIMIT_EXCEEDED: The message is larger than 1024 bytes (limit maxMessageBytes); "
                                             + "it is refused");
        assertTrue(size.contains("larger than 1024 bytes") && size.contains("endpoint option maxMessageSize"), size);
    }

    @Test
    void malformedAlgorithmAndKeystoreReasons() {
        String malformed = text("MALFORMED_MIME", "MALFORMED_MIME: multipart/signed without boundary");
        assertTrue(malformed.contains("structure is malformed") && malformed.contains("sending software"), malformed);
        assertFalse(malformed.contains(KEYSTORE_ADVICE), malformed);
        String algorithm = text("ALGORITHM_NOT_ALLOWED", "ALGORITHM_NOT_ALLOWED: CMS CompressedData is refused");
        assertTrue(algorithm.contains("algorithm the configured profile does not allow")
                   && algorithm.contains("CMS CompressedData is refused"), algorithm);
        String noKey = text("NO_KEY", null);
        assertTrue(noKey.contains("keystoreFile and keystorePassword"), noKey);
    }

    /** An unencrypted message on the server: reported as NOT_ENCRYPTED (not as "malformed"), and kept. */
    @Test
    void unencryptedMessageOnTheServerIsReportedAsNotEncrypted() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = "<" + unique("plain") + "@kv-safenet.de>";
        String raw = "From: praxis.a@kv-safenet.de\r\nTo: " + bob.address() + "\r\nSubject: plain\r\nMessage-ID: " + id
                     + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBefund im Klartext\r\n";
        kvc.admin().injectMessage(bob.username(), raw.getBytes(StandardCharsets.UTF_8));

        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "failureBackoff=600000")).routeId("bob").to("mock:inbox");
            }
        });
        errors.assertIsSatisfied(20_000);
        KvConnectDecryptionException e = assertInstanceOf(KvConnectDecryptionException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(DecryptionFailedException.NOT_ENCRYPTED, e.getReason(), e.getMessage());
        assertTrue(e.getMessage().contains("unencrypted mail is not accepted"), e.getMessage());
        assertFalse(e.getMessage().contains("Klartext"), "no content in the text");
        List<MailboxEntry> left = mailbox(bob);
        assertEquals(1, left.size(), "the message stays on the server");
    }

    /** A truncated download (emulator fault): TRUNCATED or CORRUPT_DATA, never the keystore advice. */
    @Test
    void truncatedDownloadDoesNotBlameTheKeystore() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "Befund");
        kvc.admin().faults().truncateNextFetch(1);

        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "failureBackoff=600000")).routeId("bob").to("mock:inbox");
            }
        });
        errors.assertIsSatisfied(20_000);
        Exception caught = errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        KvConnectDecryptionException e = assertInstanceOf(KvConnectDecryptionException.class, caught);
        assertTrue(List.of("TRUNCATED", "CORRUPT_DATA").contains(e.getReason()), e.getMessage());
        assertFalse(e.getMessage().contains(KEYSTORE_ADVICE), e.getMessage());
        assertEquals(1, mailbox(bob).size(), "the message stays on the server");
    }
}
