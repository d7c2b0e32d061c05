package io.github.camelkvconnect.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter adds to the Spring Boot actuator, when the application has it: the {@code kvconnect} health entry
 * and the masking of the kvconnect secrets in the {@code env} and {@code configprops} endpoints.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
public class KvConnectActuatorAutoConfiguration {

    /** {@code /actuator/health/kvconnect}; off with {@code management.health.kvconnect.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnBean(CamelContext.class)
    @ConditionalOnEnabledHealthIndicator("kvconnect")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "kvconnectHealthIndicator")
        KvConnectHealthIndicator kvconnectHealthIndicator(CamelContext camelContext) {
            return new KvConnectHealthIndicator(camelContext);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class Sanitizing {

        @Bean
        KvConnectSecretsSanitizer kvconnectSecretsSanitizer() {
            return new KvConnectSecretsSanitizer();
        }
    }
}
