package io.github.camelkvconnect.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.DataFormatCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.DataFormatConfigurationProperties;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Configures the {@code kvconnectSmime} data format from {@code camel.dataformat.kvconnect-smime.*}. Off with
 * {@code camel.dataformat.kvconnect-smime.enabled=false}.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ DataFormatConfigurationProperties.class, KvConnectSmimeDataFormatConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.dataformat", "camel.dataformat.kvconnect-smime" })
public class KvConnectSmimeDataFormatAutoConfiguration {

    @Lazy
    @Bean
    public DataFormatCustomizer configureKvConnectSmimeDataFormat(Environment environment, CamelContext camelContext,
                                                                  KvConnectSmimeDataFormatConfiguration properties) {
        return new KvConnectSmimeDataFormatCustomizer(environment, camelContext, properties);
    }
}
