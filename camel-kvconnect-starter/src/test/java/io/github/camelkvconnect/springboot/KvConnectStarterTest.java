package io.github.camelkvconnect.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.camelkvconnect.component.AuthMethod;
import io.github.camelkvconnect.component.KvConnectComponent;
import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.component.SignaturePolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application (with web server and actuator) whose kvconnect account is configured only through
 * {@code camel.component.kvconnect.*}; it runs a consumer against the emulator.
 */
@SpringBootTest(classes = KvConnectStarterTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.kvconnect.signature-policy=reject",
                        "camel.component.kvconnect.failure-backoff=90s",
                        "camel.component.kvconnect.failure-backoff-max=2h",
                        "camel.component.kvconnect.quarantine-after-attempts=7",
                        "camel.component.kvconnect.max-message-size=700MB",
                        "camel.component.kvconnect.max-text-header-size=65536",
                        "camel.component.kvconnect.connect-timeout=5000",
                        "camel.component.kvconnect.auth-method=token",
                        "camel.component.kvconnect.dienstkennung-filter=Arztbrief;*",
                        "camel.component.kvconnect.idempotent-repository=#kvcDelivered",
                        "camel.component.kvconnect.sendersystem=StarterTest;1.0",
                        "camel.component.kvconnect.certificate-expiry-warning-days=7",
                        "camel.component.kvconnect.lazy-start-producer=true",
                        "management.endpoints.web.exposure.include=health,env,configprops",
                        "management.endpoint.health.show-details=always",
                        "management.endpoint.health.group.readiness.include=readinessState,kvconnect",
                        "management.endpoint.env.show-values=always",
                        "management.endpoint.configprops.show-values=always",
                        "logging.level.io.github.camelkvconnect=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvConnectStarterTest {

    static final String INBOX = "starter.inbox";
    static final String SENDER = "starter.sender";

    @DynamicPropertySource
    static void account(DynamicPropertyRegistry registry) {
        KvcTestServer kvc = KvcTestServer.get();
        KvcTestServer.Account inbox = kvc.account(INBOX);
        registry.add("camel.component.kvconnect.server-url", kvc::restBaseUri);
        registry.add("camel.component.kvconnect.username", inbox::username);
        registry.add("camel.component.kvconnect.password", () -> KvcTestServer.PASSWORD);
        registry.add("camel.component.kvconnect.keystore-file", () -> inbox.keystore().toString());
        registry.add("camel.component.kvconnect.keystore-password", () -> KvcTestServer.PIN);
        registry.add("camel.component.kvconnect.tls-trust-anchors", () -> kvc.tlsAnchors().toString());
        registry.add("camel.component.kvconnect.smime-trust-anchors", () -> kvc.smimeAnchors().toString());
        registry.add("camel.component.kvconnect.state-directory", () -> kvc.dir().resolve("starter-state").toString());
        // the signers' CA's published CRL, listing another account the emulator revoked: the consumer checks against
        // it, the sender stays VALID
        registry.add("camel.component.kvconnect.crl-files", () -> kvc.userCaCrlRevoking("starter.revoked").toString());
        // without ACCP on this class path auto keeps the defaults; the value must reach the component
        registry.add("camel.component.kvconnect.rsa-provider", () -> "auto");
        registry.add("test.inbox-address", inbox::address);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        IdempotentRepository kvcDelivered() {
            return MemoryIdempotentRepository.memoryIdempotentRepository(100);
        }

        @Bean
        RouteBuilder inboxRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    // no account option in the URI: everything comes from camel.component.kvconnect.*
                    from("kvconnect:{{test.inbox-address}}?delay=200&initialDelay=0").routeId("inbox").to("mock:inbox");
                }
            };
        }
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    ProducerTemplate template;

    @Autowired
    IdempotentRepository kvcDelivered;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void logsNeitherPasswordNorPin(CapturedOutput output) throws Exception {
        // First test: the output captured since the class started includes the application's startup.
        KvcTestServer kvc = KvcTestServer.get();
        sendToInbox(kvc, "log check");
        assertThat(output.getAll()).contains("Started KvConnectStarterTest")
                .doesNotContain(KvcTestServer.PASSWORD).doesNotContain(KvcTestServer.PIN);
    }

    @Test
    void componentIsConfiguredFromProperties() {
        KvcTestServer kvc = KvcTestServer.get();
        KvConnectComponent component = camelContext.getComponent("kvconnect", KvConnectComponent.class);
        KvConnectConfiguration c = component.getConfiguration();
        assertThat(c.getServerUrl()).isEqualTo(kvc.restBaseUri());
        assertThat(c.getUsername()).isEqualTo(INBOX);
        assertThat(c.getPassword()).isEqualTo(KvcTestServer.PASSWORD);
        assertThat(c.getKeystoreFile()).isEqualTo(kvc.account(INBOX).keystore().toString());
        assertThat(c.getKeystorePassword()).isEqualTo(KvcTestServer.PIN);
        assertThat(c.getSignaturePolicy()).isEqualTo(SignaturePolicy.reject);
        assertThat(c.getAuthMethod()).isEqualTo(AuthMethod.token);
        assertThat(c.getFailureBackoff()).isEqualTo(90_000L);
        assertThat(c.getFailureBackoffMax()).isEqualTo(7_200_000L);
        assertThat(c.getQuarantineAfterAttempts()).isEqualTo(7);
        assertThat(c.getMaxMessageSize()).isEqualTo(700L * 1024 * 1024);
        assertThat(c.getMaxTextHeaderSize()).isEqualTo(65536);
        assertThat(c.getConnectTimeout()).isEqualTo(5000);
        assertThat(c.getDienstkennungFilter()).isEqualTo("Arztbrief;*");
        assertThat(c.getSendersystem()).isEqualTo("StarterTest;1.0");
        assertThat(c.getCrlFiles()).isEqualTo(KvcTestServer.get().emulator().userCaCrlFile().orElseThrow().toString());
        assertThat(c.getRsaProvider()).isEqualTo("auto");
        assertThat(c.getCertificateExpiryWarningDays()).isEqualTo(7);
        assertThat(c.getIdempotentRepository()).isSameAs(kvcDelivered);
        assertThat(component.isLazyStartProducer()).isTrue();
        // unset options keep the component's defaults
        assertThat(c.getReadTimeout()).isEqualTo(60000);
        assertThat(c.getLdapBaseDn()).isEqualTo("ou=users,dc=kv-safenet,dc=de");

        // an endpoint works on a copy: a URI option changes that endpoint only
        KvConnectEndpoint endpoint = camelContext.getEndpoint(
                "kvconnect:other@kv-safenet.de?signaturePolicy=warn", KvConnectEndpoint.class);
        assertThat(endpoint.getConfiguration().getSignaturePolicy()).isEqualTo(SignaturePolicy.warn);
        assertThat(endpoint.getConfiguration().getServerUrl()).isEqualTo(kvc.restBaseUri());
        assertThat(c.getSignaturePolicy()).isEqualTo(SignaturePolicy.reject);
    }

    @Test
    void consumerConfiguredOnlyByPropertiesReceivesAVerifiedMessage() throws Exception {
        KvcTestServer kvc = KvcTestServer.get();
        MockEndpoint inbox = camelContext.getEndpoint("mock:inbox", MockEndpoint.class);
        inbox.reset();
        inbox.expectedMessageCount(1);
        inbox.setResultWaitTime(20_000);
        String messageId = sendToInbox(kvc, "Befund folgt");
        inbox.assertIsSatisfied();
        Exchange received = inbox.getReceivedExchanges().get(0);
        assertThat(received.getMessage().getHeader("CamelKvConnectMessageId", String.class)).isEqualTo(messageId);
        assertThat(received.getMessage().getHeader("CamelKvConnectSignatureStatus", String.class)).isEqualTo("VALID");
        assertThat(received.getMessage().getHeader("CamelKvConnectText", String.class)).contains("Befund folgt");
        // the configured idempotent repository bean was used
        assertThat(kvcDelivered).isInstanceOf(MemoryIdempotentRepository.class);
        assertThat(((MemoryIdempotentRepository) kvcDelivered).getCacheSize()).isGreaterThan(0);
    }

    @Test
    void healthShowsTheKvConnectConsumer() throws Exception {
        String inboxAddress = KvcTestServer.get().account(INBOX).address();
        String health = get("/actuator/health");
        assertThat(JsonPath.<String>read(health, "$.components.kvconnect.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(health, "$.components.kvconnect.details['kvconnect-consumer-inbox'].account"))
                .isEqualTo(inboxAddress);
        assertThat(JsonPath.<String>read(health,
                "$.components.kvconnect.details['kvconnect-consumer-inbox'].certificateNotAfter")).isNotBlank();

        String readiness = get("/actuator/health/readiness");
        assertThat(JsonPath.<String>read(readiness, "$.components.kvconnect.status")).isEqualTo("UP");
    }

    @Test
    void actuatorMasksTheSecrets() throws Exception {
        String env = get("/actuator/env");
        String configprops = get("/actuator/configprops");
        for (String json : List.of(env, configprops)) {
            assertThat(json).doesNotContain(KvcTestServer.PASSWORD).doesNotContain(KvcTestServer.PIN)
                    .contains(KvcTestServer.get().restBaseUri()); // values are shown, only the secrets are masked
        }
        String prefix = "$.contexts.*.beans['camel.component.kvconnect-" + KvConnectComponentConfiguration.class.getName()
                        + "'].properties.";
        assertThat(JsonPath.<List<String>>read(configprops, prefix + "password")).containsExactly("******");
        assertThat(JsonPath.<List<String>>read(configprops, prefix + "keystorePassword")).containsExactly("******");
        assertThat(JsonPath.<List<String>>read(configprops, prefix + "username")).containsExactly("******");
        assertThat(JsonPath.<List<String>>read(configprops, prefix + "keystoreFile").get(0)).endsWith(".p12");
    }

    private String sendToInbox(KvcTestServer kvc, String text) {
        KvcTestServer.Account sender = kvc.account(SENDER);
        Exchange sent = template.send(kvc.senderUri(sender), exchange -> {
            exchange.getMessage().setBody(text);
            exchange.getMessage().setHeaders(Map.of(
                    "CamelKvConnectTo", kvc.account(INBOX).address(),
                    "CamelKvConnectSubject", "Starter test",
                    "CamelKvConnectDienstkennung", "Arztbrief;VHitG-Versand;V1.0"));
        });
        if (sent.getException() != null) {
            throw new AssertionError("sending failed", sent.getException());
        }
        return sent.getMessage().getHeader("CamelKvConnectMessageId", String.class);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
