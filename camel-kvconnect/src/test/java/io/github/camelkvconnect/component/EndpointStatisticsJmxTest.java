package io.github.camelkvconnect.component;

import java.nio.file.Path;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The endpoint's counters are readable over JMX. */
class EndpointStatisticsJmxTest extends KvConnectTestSupport {

    @TempDir
    static Path dir;

    static EmulatorFixture kvc;

    @BeforeAll
    static void start() throws Exception {
        kvc = EmulatorFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        kvc.close();
    }

    @Override
    protected EmulatorFixture kvc() {
        return kvc;
    }

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Test
    void receivedAndSentCountersAreManagedAttributes() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(producerUri(alice));
            }
        });
        template.sendBodyAndHeader("direct:send", "counted", KvConnectConstants.TO, bob.address());
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "")).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);

        MBeanServer jmx = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        ObjectName consumerEndpoint = names.stream().filter(n -> n.toString().contains(bob.username())).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoint MBean in " + names));
        ObjectName producerEndpoint = names.stream().filter(n -> n.toString().contains(alice.username())).findFirst()
                .orElseThrow();
        assertEquals(1L, jmx.getAttribute(consumerEndpoint, "ReceivedCount"));
        assertEquals(0L, jmx.getAttribute(consumerEndpoint, "KeptOnServerCount"));
        assertEquals(1L, jmx.getAttribute(producerEndpoint, "SentCount"));
        assertFalse(consumerEndpoint.toString().contains(EmulatorFixture.PASSWORD), "no secrets in MBean names");
    }
}
