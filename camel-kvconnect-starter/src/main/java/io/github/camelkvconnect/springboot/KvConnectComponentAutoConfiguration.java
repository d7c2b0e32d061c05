package io.github.camelkvconnect.springboot;

import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Configures the {@code kvconnect} component from {@code camel.component.kvconnect.*}. Off with
 * {@code camel.component.kvconnect.enabled=false} (or {@code camel.component.enabled=false} for all components).
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, KvConnectComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.kvconnect" })
public class KvConnectComponentAutoConfiguration {

    @Lazy
    @Bean
    public ComponentCustomizer configureKvConnectComponent(Environment environment,
                                                           KvConnectComponentConfiguration properties) {
        return new KvConnectComponentCustomizer(environment, properties);
    }
}
