package io.github.camelkvconnect.component;

import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The endpoint's counters are readable over JMX. */
class EndpointStatisticsJmxTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

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
        receive(bob, "", 1);
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
