package io.github.camelkvconnect.examples.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * The routes, two per practice. They start only after both practices have their certificates (see
 * {@link KvConnectDemo}), hence {@code autoStartup(false)}.
 * <ul>
 * <li>{@code outbox-<user>}: a file in {@code outbox/} becomes an eArztbrief to the other practice; afterwards the
 * file is moved to {@code sent/}, or to {@code failed/} if it could not be sent.</li>
 * <li>{@code inbox-<user>}: every message for the practice is received (decrypted, signature checked); an
 * Eingangsbestaetigung is logged and recorded, anything else is written to {@code inbox/<Message-ID>/}. The component
 * answers messages that ask for it with an Eingangsbestaetigung (MDN) once the route completed
 * ({@code sendMdn=true}), and deletes them on the server only then.</li>
 * </ul>
 */
final class DemoRoutes extends RouteBuilder {

    private final List<Practice> practices;
    private final DemoEvents events;
    private final Console console;
    private final long pollDelayMillis;

    DemoRoutes(List<Practice> practices, DemoEvents events, Console console, long pollDelayMillis) {
        this.practices = practices;
        this.events = events;
        this.console = console;
        this.pollDelayMillis = pollDelayMillis;
    }

    /** The ids of all routes, in the order they are started. */
    static List<String> routeIds(List<Practice> practices) {
        List<String> ids = new ArrayList<>();
        practices.forEach(p -> ids.add(inboxRoute(p)));
        practices.forEach(p -> ids.add(outboxRoute(p)));
        return ids;
    }

    static String inboxRoute(Practice p) {
        return "inbox-" + p.username();
    }

    static String outboxRoute(Practice p) {
        return "outbox-" + p.username();
    }

    @Override
    public void configure() {
        // Failures get one clear line each (see the onException blocks) instead of a logged stack trace.
        errorHandler(defaultErrorHandler().logExhausted(false));
        for (Practice practice : practices) {
            Practice other = practices.stream().filter(p -> p != practice).findFirst().orElseThrow();
            inbox(practice);
            outbox(practice, other);
        }
    }

    private void inbox(Practice practice) {
        from("kvconnect:" + practice.address() + "?configuration=#" + practice.configurationBean()
             + "&sendMdn=true&initialDelay=0&delay=" + pollDelayMillis)
                .routeId(inboxRoute(practice)).autoStartup(false)
                // Not handled: the exchange fails, so the component keeps the message on the server and delivers it
                // again on a later poll.
                .onException(Exception.class)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        console.event("[%s] could NOT store message %s: %s", practice.username(),
                                e.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class),
                                cause != null ? cause.getMessage() : "unknown error");
                        console.event("[%s]   it stays on the server and is delivered again on a later poll",
                                practice.username());
                    })
                .end()
                .choice()
                    .when(ReceiptLogger.isReceipt()).process(new ReceiptLogger(practice, events, console))
                    .otherwise().process(new InboxWriter(practice, events, console));
    }

    private void outbox(Practice practice, Practice recipient) {
        // readLock=changed: a file still being copied in is picked up only once its size stopped changing.
        // Hidden files (".name") and common partial-download names are left alone.
        String timestamped = "${file:name.noext}-${date:now:yyyyMMdd-HHmmss-SSS}.${file:ext}";
        from("file:" + practice.outbox() + "?readLock=changed&readLockCheckInterval=500&readLockTimeout=60000"
             + "&exclude=RAW(.*\\.(part|tmp|crdownload)$)"
             + "&move=../sent/" + timestamped + "&moveFailed=../failed/" + timestamped)
                .routeId(outboxRoute(practice)).autoStartup(false)
                // A failed file is moved to failed/ by the file consumer; say so in one clear line instead of a stack
                // trace. Not handled: the exchange stays failed, which is what makes the consumer move it there.
                .onException(Exception.class)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        String file = e.getMessage().getHeader(Exchange.FILE_NAME, String.class);
                        console.event("[%s] could NOT send %s: %s", practice.username(), file,
                                cause != null ? cause.getMessage() : "unknown error");
                        console.event("[%s]   the file is moved to %s; fix the cause and move it back into %s",
                                practice.username(), practice.failed(), practice.outbox());
                        events.sendFailed(file, cause != null ? cause : new IllegalStateException("unknown error"));
                    })
                .end()
                // The builder turns the file into a MimeMessage, so the producer cannot derive the key from the
                // file itself: name, size and time identify it, and a retry after a crash sends the same Message-ID.
                .setHeader(KvConnectConstants.IDEMPOTENCY_KEY, simple("${file:name}-${file:length}-${file:modified}"))
                .process(new ArztbriefBuilder(practice, recipient))
                .to("kvconnect:" + practice.address() + "?configuration=#" + practice.configurationBean())
                .process(e -> {
                    String file = e.getMessage().getHeader(Exchange.FILE_NAME, String.class);
                    String messageId = e.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
                    console.event("[%s] sent %s as eArztbrief to %s (Message-ID %s), Eingangsbestaetigung requested",
                            practice.username(), file, recipient.address(), messageId);
                    events.sent(new DemoEvents.Sent(messageId, file, practice.address(), recipient.address(), Instant.now()));
                });
    }
}
