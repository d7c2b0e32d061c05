package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.FaultProxy;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broken or malicious server lists a Message-ID and a From with CR/LF in them (the XML header list can carry them as
 * character references). The consumer's log lines and the exception the error handler gets show these values without
 * line breaks, so that no log line can be forged; the raw Message-ID still addresses the message and reaches the
 * exchange. The hostile header list comes from a real HTTPS proxy in front of the emulator: the emulator itself never
 * lists such values.
 */
class HostileHeaderListTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    static FaultProxy proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = FaultProxy.start(kvc.emulator(), kvc.dir());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void lineBreaksInListedHeaderValuesNeverReachLogLinesOrExceptionTexts() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String forgedId = "<x@y>\r\n2026-11-29 12:00:00 ERROR FORGED-BY-SERVER";
        proxy.addRule(ex -> {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                return false;
            }
            if (path.endsWith("/headers")) {
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><headers><header>"
                               + "<message-id>&lt;x@y&gt;&#13;&#10;2026-11-29 12:00:00 ERROR FORGED-BY-SERVER</message-id>"
                               + "<from>mallory@kv-safenet.de&#10;FORGED-FROM</from></header></headers>")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/xml;charset=UTF-8");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                return true;
            }
            if (path.contains("/mails/")) {
                // the fetch fails: the consumer logs the failure and reports it with the header's values
                FaultProxy.respond(ex, 500, "simulated failure");
                return true;
            }
            return false;
        });
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        String uri = proxy.via(consumerUri(bob, "failureBackoff=600000"), kvc.tlsAnchors());

        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple, the tests' logging backend, writes to whatever System.err is at the time of each log call
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(deadLetterChannel("mock:errors"));
                    from(uri).routeId("bob").to("mock:inbox");
                }
            });
            MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, errors);
            context.getRouteController().stopRoute("bob");
        } finally {
            System.setErr(originalErr);
        }

        Exchange failed = errors.getReceivedExchanges().get(0);
        KvConnectFetchException e = assertInstanceOf(KvConnectFetchException.class,
                failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("<x@y>  2026-11-29 12:00:00 ERROR FORGED-BY-SERVER"), e.getMessage());
        assertEquals(forgedId, e.getMessageId(), "raw for matching");
        assertEquals("mallory@kv-safenet.de\nFORGED-FROM", e.getSender());
        assertEquals(forgedId, failed.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));

        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("KV-Connect message <x@y>  2026-11-29 12:00:00 ERROR FORGED-BY-SERVER failed (FETCH"), log);
        for (String line : log.split("\r?\n|\r")) {
            assertFalse(line.startsWith("2026-11-29 12:00:00 ERROR FORGED") || line.startsWith("FORGED-FROM"),
                    "a forged log line: " + line);
        }
    }

    /** Writes to both streams: the test output stays visible while it is captured. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
