package io.github.camelkvconnect.component;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.CapturedLog;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.Endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server answers the mailbox listing with errors for a while (the emulator's fault API): without any backoff option
 * the consumer backs off (Camel's backoffErrorThreshold/backoffMultiplier, defaulted by the component), logs one WARN
 * when the outage starts and one INFO when it ends, never the endpoint URI, and delivers the waiting message afterwards.
 */
class ServerOutageTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /** Camel's scheduler, counting how often it fires (a fired run that backs off does not poll). */
    static final class CountingScheduler extends DefaultScheduledPollConsumerScheduler {
        final AtomicLong runs = new AtomicLong();

        CountingScheduler() {
            setInitialDelay(0);
            setDelay(100);
            setTimeUnit(TimeUnit.MILLISECONDS);
        }

        @Override
        public void scheduleTask(Runnable task) {
            super.scheduleTask(() -> {
                runs.incrementAndGet();
                task.run();
            });
        }
    }

    @Test
    void outageBacksOffByDefaultWithOneWarnAtItsStartAndOneInfoAtItsEnd() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "after the outage");
        int failingPolls = 3;
        kvc.admin().faults().failNext(Endpoint.HEADERS, failingPolls, 503);
        CountingScheduler scheduler = new CountingScheduler();
        context.getRegistry().bind("counting", scheduler);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("after the outage");

        try (CapturedLog log = CapturedLog.start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(kvc.uri(bob, state("bob"), "scheduler=#counting")).routeId("bob")
                            .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
                }
            });
            inbox.assertIsSatisfied(30_000);
            KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
            long polls = consumer.getCounter();
            long skipped = scheduler.runs.get() - polls;
            // after each failed poll only every fifth run polls (backoffErrorThreshold=1, backoffMultiplier=5)
            assertTrue(skipped >= 4L * failingPolls && skipped <= 5L * failingPolls + 1,
                    "runs skipped during the outage: " + skipped);

            List<String> warnings = log.consumerLines("WARN", "Cannot poll KV-Connect account " + bob.address());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("503"), warnings.get(0));
            List<String> recovered = log.consumerLines("INFO", "can be polled again, after " + failingPolls + " failed poll(s)");
            assertEquals(1, recovered.size(), log.lines(l -> l.contains("KvConnectConsumer")).toString());
            assertEquals(List.of(), log.lines(l -> l.contains(" WARN ") && l.contains("failed polling endpoint")),
                    "Camel's own line per failed poll is not logged");
            assertEquals(List.of(), log.lines(l -> l.contains(EmulatorFixture.PASSWORD) || l.contains("serverUrl=")
                                                   || l.contains("password=")),
                    "no endpoint URI, no credentials");
        }
    }
}
