package io.github.camelkvconnect.springboot;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the kvconnect secrets in {@code /actuator/env} and {@code /actuator/configprops} even when an application
 * shows property values there ({@code management.endpoint.env.show-values=always}). Keys are compared without dots,
 * dashes, underscores and case, so {@code camel.component.kvconnect.keystore-password},
 * {@code camel.component.kvconnect.keystorePassword} and {@code CAMEL_COMPONENT_KVCONNECT_KEYSTOREPASSWORD} are all
 * caught.
 */
public class KvConnectSecretsSanitizer implements SanitizingFunction {

    private static final Set<String> SECRET_KEYS = Set.of(
            "camelcomponentkvconnectusername",
            "camelcomponentkvconnectpassword",
            "camelcomponentkvconnectkeystorepassword",
            "camelcomponentkvconnecttruststorepassword",
            "cameldataformatkvconnectsmimekeystorepassword");

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
    }

    static boolean isSecret(String key) {
        return key != null && SECRET_KEYS.contains(key.replaceAll("[._\\-\\[\\]]", "").toLowerCase(java.util.Locale.ROOT));
    }
}
