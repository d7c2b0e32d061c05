package io.github.camelkvconnect.component;

import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A MimeMessage built by the route with a bad header in a nested part is refused with the header injection exception
 * before it is signed: nothing reaches the recipient's mailbox. A correctly folded header is sent.
 */
class RouteBuiltMimeHeadersTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static MimeMessage withPartHeader(String name, String value) throws MessagingException {
        MimeBodyPart letter = new MimeBodyPart();
        letter.setText("Arztbrief", "utf-8");
        MimeBodyPart scan = new MimeBodyPart();
        scan.setText("Scan", "utf-8");
        scan.setHeader(name, value);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(letter);
        mixed.addBodyPart(scan);
        MimeMessage message = new MimeMessage((jakarta.mail.Session) null);
        message.setContent(mixed);
        message.saveChanges();
        return message;
    }

    @Test
    void crLfNulAndNonAsciiInARouteBuiltPartHeaderAreRefusedAndNothingIsSent() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Map<String, String> cases = Map.of(
                "CR/LF", "4711\r\nBcc: mallory@kv-safenet.de",
                "NUL", "47\u000011",
                "non-ASCII", "Befund M\u00fcller");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            MimeMessage body = withPartHeader("X-Befund-Id", c.getValue());
            Exchange result = template.request(producerUri(alice), e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            });
            KvConnectInvalidHeaderException error = assertInstanceOf(KvConnectInvalidHeaderException.class,
                    result.getException(), c.getKey());
            assertTrue(error.getMessage().contains("X-Befund-Id") && error.getMessage().contains("MIME part 2"),
                    c.getKey() + ": " + error.getMessage());
            assertFalse(error.getMessage().contains("mallory") || error.getMessage().contains("M\u00fcller"),
                    "the value is not quoted: " + error.getMessage());
        }
        assertTrue(mailbox(bob).isEmpty(), "nothing reached the recipient");
        assertEquals(0, context.getEndpoint(producerUri(alice), KvConnectEndpoint.class).getSentCount(), "nothing sent");
    }

    @Test
    void correctlyFoldedPartHeaderIsSent() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        MimeMessage body = withPartHeader("X-Befund-Id", "4711 with a long value\r\n continued on a folded line");
        Exchange result = template.request(producerUri(alice), e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        assertNull(result.getException());
        awaitMailboxSize(bob, 1);
    }
}
