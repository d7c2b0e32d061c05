package io.github.camelkvconnect.component;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.ErrorCapturingScheduler;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.PollFailures;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Hostile structures signed and encrypted for the account, built at test time: 10,000 MIME parts, 10,000 nesting
 * levels. Whatever the S/MIME reader makes of them (a limit, a parse error, a StackOverflowError), the message stays
 * on the server, the next good message is delivered and polling goes on.
 */
class HostileMessageConsumerTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static final int COUNT = 10_000;

    /** multipart/mixed with {@code COUNT} one-byte text parts. */
    private static MimeBodyPart manyParts() throws Exception {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < COUNT; i++) {
            sb.append("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        }
        sb.append("--b--\r\n");
        return entity(sb);
    }

    /** {@code COUNT} multiparts, each the only part of the one around it. */
    private static MimeBodyPart deeplyNested() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < COUNT; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=n").append(i).append("\r\n\r\n--n").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (int i = COUNT - 1; i >= 0; i--) {
            sb.append("--n").append(i).append("--\r\n");
        }
        return entity(sb);
    }

    /** An entity kept as the bytes given (not rebuilt by Jakarta Mail when it is written for signing). */
    private static MimeBodyPart entity(CharSequence raw) throws Exception {
        return new MimeBodyPart(new ByteArrayInputStream(raw.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void tenThousandPartsStayOnTheServerWhileTheNextMessageIsDelivered() throws Exception {
        assertHostileMessageStaysWhileTheNextIsDelivered(manyParts());
    }

    @Test
    void tenThousandNestingLevelsStayOnTheServerWhileTheNextMessageIsDelivered() throws Exception {
        assertHostileMessageStaysWhileTheNextIsDelivered(deeplyNested());
    }

    private void assertHostileMessageStaysWhileTheNextIsDelivered(MimeBodyPart hostile) throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String hostileId = inject(alice, alice.keystore(), bob, hostile, Map.of());
        send(alice, bob, "good");
        ErrorCapturingScheduler scheduler = new ErrorCapturingScheduler();
        context.getRegistry().bind("capturing", scheduler);
        PollFailures pollFailures = new PollFailures();
        context.getRegistry().bind("pollFailures", pollFailures);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("good");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(kvc.uri(bob, state("bob"), "scheduler=#capturing&pollStrategy=#pollFailures&failureBackoff=600000"))
                        .routeId("bob").setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        MockEndpoint.assertIsSatisfied(60, TimeUnit.SECONDS, inbox, errors);
        assertEquals(hostileId, errors.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        awaitMailboxSize(bob, 1);
        assertEquals(List.of(hostileId), mailbox(bob).stream().map(MailboxEntry::messageId).toList());
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        long polls = consumer.getCounter();
        io.github.camelkvconnect.component.support.Await.until("three more polls", Duration.ofSeconds(20),
                () -> consumer.getCounter() >= polls + 3);
        assertNull(scheduler.awaitEscaped(0), "nothing escaped the poll");
        assertEquals(List.of(), pollFailures.causes(), "no poll ended with an exception");
    }
}
