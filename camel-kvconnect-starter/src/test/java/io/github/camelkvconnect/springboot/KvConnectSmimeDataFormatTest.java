package io.github.camelkvconnect.springboot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.camelkvconnect.smime.CertificateProblemsException;
import io.github.camelkvconnect.smime.CertificateResolver;
import io.github.camelkvconnect.smime.KvConnectSmimeConstants;
import io.github.camelkvconnect.smime.KvConnectSmimeDataFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kvconnectSmime data format configured only by {@code camel.dataformat.kvconnect-smime.*}: marshal signs and
 * encrypts with the keystore's key, unmarshal decrypts and verifies against the configured trust anchors.
 */
@SpringBootTest(classes = KvConnectSmimeDataFormatTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
                properties = { "camel.dataformat.kvconnect-smime.certificate-resolver=#kvcCertificates",
                               "camel.dataformat.kvconnect-smime.body-type=BYTES" })
class KvConnectSmimeDataFormatTest {

    static final String SENDER = "df.sender";
    static final String RECIPIENT = "df.recipient";

    @DynamicPropertySource
    static void dataFormat(DynamicPropertyRegistry registry) {
        KvcTestServer kvc = KvcTestServer.get();
        KvcTestServer.Account sender = kvc.account(SENDER);
        registry.add("camel.dataformat.kvconnect-smime.keystore-file", () -> sender.keystore().toString());
        registry.add("camel.dataformat.kvconnect-smime.keystore-password", () -> KvcTestServer.PIN);
        registry.add("camel.dataformat.kvconnect-smime.trust-anchors-file", () -> kvc.smimeAnchors().toString());
        registry.add("camel.dataformat.kvconnect-smime.work-directory", () -> kvc.dir().toString());
        // the signer's CA's published CRL, listing another account the emulator revoked: read at the data format's
        // start, the sender stays VALID
        registry.add("camel.dataformat.kvconnect-smime.crl-files", () -> kvc.userCaCrlRevoking("df.revoked").toString());
        registry.add("camel.dataformat.kvconnect-smime.rsa-provider", () -> "auto");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        /** The certificates of the test accounts, as the KV-Connect server would publish them. */
        @Bean
        CertificateResolver kvcCertificates() {
            KvcTestServer kvc = KvcTestServer.get();
            return address -> List.of(kvc.account(address.substring(0, address.indexOf('@'))).certificate());
        }

        @Bean
        RouteBuilder sealAndOpen() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:roundtrip")
                            .marshal().custom("kvconnectSmime")
                            .convertBodyTo(byte[].class)
                            .to("mock:sealed")
                            .unmarshal().custom("kvconnectSmime")
                            .to("mock:opened");
                }
            };
        }
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    ProducerTemplate template;

    @Test
    void sealsAndOpensWithTheConfiguredKeystore() throws Exception {
        KvcTestServer kvc = KvcTestServer.get();
        String entity = "Content-Type: text/plain; charset=utf-8\r\n\r\nLaborbefund vertraulich\r\n";
        template.sendBodyAndHeaders("direct:roundtrip", entity.getBytes(StandardCharsets.UTF_8), Map.of(
                "From", kvc.account(SENDER).address(),
                "To", kvc.account(RECIPIENT).address(),
                "Subject", "Befund"));

        Exchange sealed = camelContext.getEndpoint("mock:sealed", MockEndpoint.class).getReceivedExchanges().get(0);
        String wire = new String(sealed.getMessage().getBody(byte[].class), StandardCharsets.ISO_8859_1);
        assertThat(wire).contains("application/pkcs7-mime").doesNotContain("Laborbefund");

        Exchange opened = camelContext.getEndpoint("mock:opened", MockEndpoint.class).getReceivedExchanges().get(0);
        assertThat(opened.getMessage().getHeader(KvConnectSmimeConstants.VERIFICATION_STATUS)).isEqualTo("VALID");
        assertThat(opened.getMessage().getHeader(KvConnectSmimeConstants.SIGNER_ADDRESS))
                .isEqualTo(kvc.account(SENDER).address());
        assertThat(new String(opened.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                .contains("Laborbefund vertraulich");
        // the customizer handed the CRL files and the RSA provider to the data format
        KvConnectSmimeDataFormat format = (KvConnectSmimeDataFormat) camelContext.resolveDataFormat("kvconnectSmime");
        assertThat(format.getCrlFiles()).isEqualTo(kvc.emulator().userCaCrlFile().orElseThrow().toString());
        assertThat(format.getRsaProvider()).isEqualTo("auto");
    }

    @Test
    void refusesToSealForARecipientTheEmulatorRevoked() {
        KvcTestServer kvc = KvcTestServer.get();
        String revoked = kvc.account("df.revoked").address();
        MockEndpoint sealed = camelContext.getEndpoint("mock:sealed", MockEndpoint.class);
        int before = sealed.getReceivedCounter();
        assertThatThrownBy(() -> template.sendBodyAndHeaders("direct:roundtrip",
                "Content-Type: text/plain\r\n\r\nBefund\r\n".getBytes(StandardCharsets.UTF_8),
                Map.of("From", kvc.account(SENDER).address(), "To", revoked, "Subject", "Befund")))
                .rootCause().isInstanceOf(CertificateProblemsException.class).hasMessageContaining(revoked)
                .hasMessageContaining("revoked");
        assertThat(sealed.getReceivedCounter()).isEqualTo(before);
    }
}
