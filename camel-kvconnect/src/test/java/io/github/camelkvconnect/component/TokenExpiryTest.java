package io.github.camelkvconnect.component;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.MutableClock;

/** A consumer on bearer tokens keeps receiving after the server expired its token. */
class TokenExpiryTest extends KvConnectTestSupport {

    static final MutableClock SERVER_CLOCK = new MutableClock();

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass(b -> b.clock(SERVER_CLOCK).tokenLifetime(Duration.ofMinutes(10)));

    @Test
    void consumerRenewsItsTokenTransparently() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        template.sendBodyAndHeader(producerUri(alice), "before", KvConnectConstants.TO, bob.address());
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("before");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "authMethod=token")).routeId("bob").setBody(header(KvConnectConstants.TEXT))
                        .to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);

        // The server's clock passes the token's expiry: the next calls get 401, the client fetches a new token.
        SERVER_CLOCK.advance(Duration.ofMinutes(11));
        inbox.reset();
        inbox.expectedBodiesReceived("after");
        template.sendBodyAndHeader(producerUri(alice), "after", KvConnectConstants.TO, bob.address());
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
    }
}
