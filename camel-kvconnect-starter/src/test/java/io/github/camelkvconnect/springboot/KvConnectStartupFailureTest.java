package io.github.camelkvconnect.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong configuration stops the application at startup, naming the property and the fix, never a secret. */
@ExtendWith(OutputCaptureExtension.class)
class KvConnectStartupFailureTest {

    private static final String SECRET = "Leak9Me9Not";

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            CamelAutoConfiguration.class, KvConnectComponentAutoConfiguration.class,
            KvConnectSmimeDataFormatAutoConfiguration.class));

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApp {
    }

    @Test
    void theFailureReportNamesPropertiesAndFixesButNoSecret(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(MinimalApp.class).web(WebApplicationType.NONE)
                .properties("camel.component.kvconnect.server-url=http://kvc.example/kvconnect/rest/",
                        "camel.component.kvconnect.password=" + SECRET,
                        "camel.component.kvconnect.key-size=1024")
                .run().close()).isNotNull();
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("camel.component.kvconnect.server-url")
                .contains("must be an https:// URL")
                .contains("camel.component.kvconnect.key-size")
                .contains("must be 2048, 3072 or 4096")
                .contains("username and camel.component.kvconnect.password belong together")
                .doesNotContain(SECRET);
    }

    @Test
    void unknownEnumValueNamesTheValidValues(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(MinimalApp.class).web(WebApplicationType.NONE)
                .properties("camel.component.kvconnect.signature-policy=rejekt").run().close()).isNotNull();
        assertThat(output.getAll()).contains("camel.component.kvconnect.signature-policy")
                .contains("reject").contains("warn");
    }

    @Test
    void unknownProfileIsRefused() {
        runner.withPropertyValues("camel.component.kvconnect.profile=KOMLE").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("camel.component.kvconnect")
                    .contains("profile").contains("must be KVCONNECT or KIM");
        });
    }

    @Test
    void kimProfileIsAccepted() {
        runner.withPropertyValues("camel.component.kvconnect.profile=kim").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(KvConnectComponentConfiguration.class).getProfile()).isEqualTo("kim");
        });
    }

    /** A registered provider without RSA stops the application at startup, not on the first message. */
    @Test
    void rsaProviderWithoutTheRsaServicesIsRefusedNamingTheMissingService() {
        runner.withPropertyValues("camel.component.kvconnect.rsa-provider=SUN").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("camel.component.kvconnect")
                    .contains("rsaProvider").contains("the provider SUN does not offer Signature SHA256withRSA")
                    .contains("or default, auto or AmazonCorrettoCryptoProvider");
        });
        runner.withPropertyValues("camel.dataformat.kvconnect-smime.rsa-provider=SunRsaSign").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("rsaProvider")
                    .contains("the provider SunRsaSign does not offer Cipher RSA/ECB/PKCS1Padding");
        });
        runner.withPropertyValues("camel.component.kvconnect.rsa-provider=NoSuchRsa").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("rsaProvider")
                    .contains("NoSuchRsa: no such JCA provider is registered");
        });
    }

    @Test
    void unreadableTrustAnchorFileIsRefused() {
        runner.withPropertyValues("camel.component.kvconnect.smime-trust-anchors=/nonexistent/kv-cas.pem")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure())).contains("smimeTrustAnchors")
                            .contains("/nonexistent/kv-cas.pem does not exist or is not readable");
                });
    }

    @Test
    void missingCrlFileIsRefusedNamingTheFile() {
        // lists are read as everywhere else (Crls.paths): entries stripped, empty ones skipped
        runner.withPropertyValues("camel.component.kvconnect.crl-files= , ,/nonexistent/user-ca.crl ,")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure())).contains("crlFiles")
                            .contains("the file /nonexistent/user-ca.crl does not exist or is not readable");
                });
        runner.withPropertyValues("camel.dataformat.kvconnect-smime.crl-files=,, /nonexistent/df.crl ")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure())).contains("crlFiles")
                            .contains("the file /nonexistent/df.crl does not exist or is not readable");
                });
    }

    @Test
    void pinWithoutKeystoreIsRefusedWithoutShowingThePin() {
        runner.withPropertyValues("camel.component.kvconnect.keystore-password=" + SECRET).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("keystore-password is set but keystore-file is not")
                    .doesNotContain(SECRET);
        });
    }

    @Test
    void missingRepositoryBeanStopsTheRouteStartWithTheBeanName() {
        runner.withPropertyValues("camel.component.kvconnect.idempotent-repository=#noSuchRepository")
                .withBean(RouteBuilder.class, () -> new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("kvconnect:praxis@kv-safenet.de").to("log:x");
                    }
                })
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure()))
                            .contains("camel.component.kvconnect.idempotent-repository refers to the bean 'noSuchRepository'");
                });
    }

    @Test
    void wrongDataFormatPinStopsTheRouteStartWithoutShowingThePin() {
        KvcTestServer.Account account = KvcTestServer.get().account("df.wrongpin");
        runner.withPropertyValues("camel.dataformat.kvconnect-smime.keystore-file=" + account.keystore(),
                        "camel.dataformat.kvconnect-smime.keystore-password=" + SECRET)
                .withBean(RouteBuilder.class, () -> new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:seal").marshal().custom("kvconnectSmime");
                    }
                })
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure()))
                            .contains("camel.dataformat.kvconnect-smime.keystore-file").contains("wrong PIN")
                            .doesNotContain(SECRET);
                });
    }

    @Test
    void validConfigurationStarts() {
        runner.withPropertyValues("camel.component.kvconnect.server-url=https://kvc.example:8443/kvconnect/rest/",
                "camel.component.kvconnect.failure-backoff=5m").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KvConnectComponentConfiguration.class).getFailureBackoff())
                            .hasMinutes(5);
                });
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
