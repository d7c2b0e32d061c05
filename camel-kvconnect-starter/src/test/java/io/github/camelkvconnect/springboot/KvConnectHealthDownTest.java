package io.github.camelkvconnect.springboot;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Refused credentials make the kvconnect health entry, Camel's entry and the application's health DOWN. */
@SpringBootTest(classes = KvConnectHealthDownTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
                properties = {
                        "management.endpoint.health.show-details=always",
                        "camel.health.exposure-level=full" })
class KvConnectHealthDownTest {

    @DynamicPropertySource
    static void account(DynamicPropertyRegistry registry) {
        KvcTestServer kvc = KvcTestServer.get();
        KvcTestServer.Account account = kvc.account("health.down");
        registry.add("camel.component.kvconnect.server-url", kvc::restBaseUri);
        registry.add("camel.component.kvconnect.username", account::username);
        registry.add("camel.component.kvconnect.password", () -> "Wrong00Password");
        registry.add("camel.component.kvconnect.keystore-file", () -> account.keystore().toString());
        registry.add("camel.component.kvconnect.keystore-password", () -> KvcTestServer.PIN);
        registry.add("camel.component.kvconnect.tls-trust-anchors", () -> kvc.tlsAnchors().toString());
        registry.add("camel.component.kvconnect.smime-trust-anchors", () -> kvc.smimeAnchors().toString());
        registry.add("camel.component.kvconnect.state-directory", () -> kvc.dir().resolve("down-state").toString());
        registry.add("test.address", account::address);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        RouteBuilder refusedRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("kvconnect:{{test.address}}?delay=60000").routeId("refused").to("log:never");
                }
            };
        }
    }

    @Autowired
    HealthEndpoint health;

    @Test
    void refusedCredentialsAreDownWithTheHttpStatus() {
        HealthDescriptor kvconnect = health.healthForPath("kvconnect");
        assertThat(kvconnect.getStatus()).isEqualTo(Status.DOWN);
        @SuppressWarnings("unchecked")
        Map<String, Object> check = (Map<String, Object>) ((IndicatedHealthDescriptor) kvconnect).getDetails()
                .get("kvconnect-consumer-refused");
        assertThat(check).containsEntry("status", "DOWN").containsEntry("http.response.code", "401");
        assertThat((String) check.get("message")).startsWith("KV-Connect credentials not accepted")
                .doesNotContain("Wrong00Password");

        // Camel's own entry reports the same check, and the application as a whole is DOWN
        IndicatedHealthDescriptor camel = (IndicatedHealthDescriptor) health.healthForPath("camelHealth");
        assertThat(camel.getDetails()).containsEntry("kvconnect-consumer-refused", "DOWN");
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
