package io.github.camelkvconnect.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.camelkvconnect.component.KvConnectComponent;
import io.github.camelkvconnect.component.KvConnectConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Camel property placeholders in the options are resolved when Camel configures the component, as for any Camel
 * option: secrets can point at a vault or the environment instead of standing in application.yaml.
 */
class KvConnectPlaceholderTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(CamelAutoConfiguration.class, KvConnectComponentAutoConfiguration.class));

    @Test
    void placeholdersAreResolvedIntoTheComponent() {
        runner.withPropertyValues(
                "camel.component.kvconnect.server-url={{kvc.url}}",
                "camel.component.kvconnect.username={{kvc.user}}",
                "camel.component.kvconnect.password={{kvc.password}}",
                "kvc.url=https://kvc.example:8443/kvconnect/rest/",
                "kvc.user=praxis.mueller",
                "kvc.password=Resolved7Secret").run(context -> {
                    assertThat(context).hasNotFailed();
                    KvConnectConfiguration c = context.getBean(CamelContext.class)
                            .getComponent("kvconnect", KvConnectComponent.class).getConfiguration();
                    assertThat(c.getServerUrl()).isEqualTo("https://kvc.example:8443/kvconnect/rest/");
                    assertThat(c.getUsername()).isEqualTo("praxis.mueller");
                    assertThat(c.getPassword()).isEqualTo("Resolved7Secret");
                });
    }

    @Test
    void aMissingPlaceholderNamesTheKey() {
        runner.withPropertyValues("camel.component.kvconnect.username=praxis.mueller",
                "camel.component.kvconnect.password={{kvc.not-defined}}").run(context -> {
            CamelContext camel = context.getBean(CamelContext.class);
            assertThatThrownBy(() -> camel.getComponent("kvconnect")).hasStackTraceContaining("kvc.not-defined");
        });
    }
}
