package io.github.camelkvconnect.springboot;

import java.time.Duration;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.core.env.Environment;

import io.github.camelkvconnect.component.KvConnectComponent;
import io.github.camelkvconnect.component.KvConnectConfiguration;

/**
 * Applies {@code camel.component.kvconnect.*} to the {@code kvconnect} component when Camel creates it. Only options
 * that were set are applied; a referenced {@code configuration} bean is copied first, so that the options set here
 * refine it without changing the bean itself.
 * <p>
 * Can be switched off with {@code camel.component.customizer.enabled=false} or
 * {@code camel.component.kvconnect.customizer.enabled=false} (as every Camel starter's customizer).
 */
final class KvConnectComponentCustomizer implements ComponentCustomizer {

    private final Environment environment;
    private final KvConnectComponentConfiguration properties;

    KvConnectComponentCustomizer(Environment environment, KvConnectComponentConfiguration properties) {
        this.environment = environment;
        this.properties = properties;
    }

    @Override
    public boolean isEnabled(String name, Component target) {
        return target instanceof KvConnectComponent
               && HierarchicalPropertiesEvaluator.evaluate(environment, "camel.component.customizer",
                       "camel.component.kvconnect.customizer");
    }

    @Override
    public void configure(String name, Component target) {
        KvConnectComponent component = (KvConnectComponent) target;
        CamelContext camelContext = component.getCamelContext();
        KvConnectComponentConfiguration p = properties;

        if (p.getConfiguration() != null) {
            component.setConfiguration(lookup(camelContext, "camel.component.kvconnect.configuration",
                    p.getConfiguration(), KvConnectConfiguration.class).copy());
        } else if (component.getConfiguration() == null) {
            component.setConfiguration(new KvConnectConfiguration());
        }
        KvConnectConfiguration c = component.getConfiguration();

        text(camelContext, p.getServerUrl(), c::setServerUrl);
        text(camelContext, p.getProfile(), c::setProfile);
        text(camelContext, p.getUsername(), c::setUsername);
        text(camelContext, p.getPassword(), c::setPassword);
        set(p.getAuthMethod(), c::setAuthMethod);
        text(camelContext, p.getKeystoreFile(), c::setKeystoreFile);
        text(camelContext, p.getKeystorePassword(), c::setKeystorePassword);
        text(camelContext, p.getTlsTrustAnchors(), c::setTlsTrustAnchors);
        text(camelContext, p.getTruststoreFile(), c::setTruststoreFile);
        text(camelContext, p.getTruststorePassword(), c::setTruststorePassword);
        text(camelContext, p.getTruststoreType(), c::setTruststoreType);
        text(camelContext, p.getSmimeTrustAnchors(), c::setSmimeTrustAnchors);
        text(camelContext, p.getCrlFiles(), c::setCrlFiles);
        text(camelContext, p.getRsaProvider(), c::setRsaProvider);

        setInt(p.getConnectTimeout(), c::setConnectTimeout);
        setInt(p.getReadTimeout(), c::setReadTimeout);
        text(camelContext, p.getStateDirectory(), c::setStateDirectory);
        text(camelContext, p.getValidationTime(), c::setValidationTime);

        set(p.getDeleteHandledFailures(), c::setDeleteHandledFailures);
        set(p.getIncludeRawMessage(), c::setIncludeRawMessage);
        set(p.getSendMdn(), c::setSendMdn);
        setLong(p.getReceiptRetryBackoff(), c::setReceiptRetryBackoff);
        setLong(p.getReceiptRetryBackoffMax(), c::setReceiptRetryBackoffMax);
        set(p.getSignaturePolicy(), c::setSignaturePolicy);
        set(p.getCertificateExpiryWarningDays(), c::setCertificateExpiryWarningDays);
        set(p.getDeleteFailureHandling(), c::setDeleteFailureHandling);
        setLong(p.getFailureBackoff(), c::setFailureBackoff);
        setLong(p.getFailureBackoffMax(), c::setFailureBackoffMax);
        set(p.getQuarantineAfterAttempts(), c::setQuarantineAfterAttempts);
        set(p.getMaxTextHeaderSize(), c::setMaxTextHeaderSize);
        if (p.getMaxMessageSize() != null) {
            c.setMaxMessageSize(p.getMaxMessageSize().toBytes());
        }
        if (p.getIdempotentRepository() != null) {
            c.setIdempotentRepository(lookup(camelContext, "camel.component.kvconnect.idempotent-repository",
                    p.getIdempotentRepository(), IdempotentRepository.class));
        }
        text(camelContext, p.getDienstkennungFilter(), c::setDienstkennungFilter);

        set(p.getOperation(), c::setOperation);
        text(camelContext, p.getSendersystem(), c::setSendersystem);
        setLong(p.getCertificateCacheTtl(), c::setCertificateCacheTtl);

        text(camelContext, p.getLdapUrl(), c::setLdapUrl);
        text(camelContext, p.getLdapBaseDn(), c::setLdapBaseDn);
        set(p.getDirectoryMaxResults(), c::setDirectoryMaxResults);

        set(p.getRenewBeforeDays(), c::setRenewBeforeDays);
        set(p.getKeySize(), c::setKeySize);
        setLong(p.getCsrPollInterval(), c::setCsrPollInterval);
        setLong(p.getCsrTimeout(), c::setCsrTimeout);

        // options of the component itself (inherited from Camel's DefaultComponent / HealthCheckComponent)
        set(p.getAutowiredEnabled(), component::setAutowiredEnabled);
        set(p.getBridgeErrorHandler(), component::setBridgeErrorHandler);
        set(p.getLazyStartProducer(), component::setLazyStartProducer);
        set(p.getHealthCheckConsumerEnabled(), component::setHealthCheckConsumerEnabled);
        set(p.getHealthCheckProducerEnabled(), component::setHealthCheckProducerEnabled);
    }

    /**
     * Resolves a bean reference given as {@code #name}, {@code #bean:name} or {@code name}. A missing bean stops the
     * start with the property and the bean name, not with a NullPointerException on the first message.
     */
    static <T> T lookup(CamelContext camelContext, String property, String reference, Class<T> type) {
        String name = camelContext.resolvePropertyPlaceholders(reference).strip();
        if (name.startsWith("#bean:")) {
            name = name.substring("#bean:".length());
        } else if (name.startsWith("#")) {
            name = name.substring(1);
        }
        T bean = camelContext.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalArgumentException(property + " refers to the bean '" + name
                                               + "', but there is no bean of that name and type " + type.getName()
                                               + ": define it (e.g. as a @Bean method) or fix the name");
        }
        return bean;
    }

    /**
     * Sets a text option after resolving Camel property placeholders in it, so that a secret can stay in a vault or
     * the environment ({@code password: "{{vault:hashicorp:secret/kvc#password}}"}, {@code "{{KVC_PASSWORD}}"}), as
     * with every Camel component option.
     */
    private static void text(CamelContext camelContext, String value, Consumer<String> setter) {
        if (value != null) {
            setter.accept(camelContext.resolvePropertyPlaceholders(value));
        }
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void setLong(Duration value, Consumer<Long> setter) {
        if (value != null) {
            setter.accept(value.toMillis());
        }
    }

    /** The validator has checked that the value fits into an int. */
    private static void setInt(Duration value, Consumer<Integer> setter) {
        if (value != null) {
            setter.accept(Math.toIntExact(value.toMillis()));
        }
    }
}
