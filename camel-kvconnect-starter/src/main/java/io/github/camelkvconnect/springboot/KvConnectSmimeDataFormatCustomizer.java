package io.github.camelkvconnect.springboot;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatCustomizer;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.core.env.Environment;

import io.github.camelkvconnect.smime.CertificateResolver;
import io.github.camelkvconnect.smime.KvConnectSmimeDataFormat;
import io.github.camelkvconnect.smime.keys.KeyStoreAccessException;
import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * Applies {@code camel.dataformat.kvconnect-smime.*} to each {@code kvconnectSmime} data format Camel creates: loads
 * the own key from the PIN-protected keystore (with the keys kept from earlier certificates, for decryption) and looks
 * up the certificate resolver bean. A keystore that does not
 * open stops the route's start with the keystore's path and the reason (never the PIN).
 */
final class KvConnectSmimeDataFormatCustomizer implements DataFormatCustomizer {

    private final Environment environment;
    private final KvConnectSmimeDataFormatConfiguration properties;
    private final CamelContext camelContext;

    KvConnectSmimeDataFormatCustomizer(Environment environment, CamelContext camelContext,
                                       KvConnectSmimeDataFormatConfiguration properties) {
        this.environment = environment;
        this.camelContext = camelContext;
        this.properties = properties;
    }

    @Override
    public boolean isEnabled(String name, DataFormat target) {
        return target instanceof KvConnectSmimeDataFormat
               && HierarchicalPropertiesEvaluator.evaluate(environment, "camel.dataformat.customizer",
                       "camel.dataformat.kvconnect-smime.customizer");
    }

    @Override
    public void configure(String name, DataFormat target) {
        KvConnectSmimeDataFormat format = (KvConnectSmimeDataFormat) target;
        KvConnectSmimeDataFormatConfiguration p = properties;
        set(p.getProfile(), format::setProfile);
        set(text(p.getAcceptedProfiles()), format::setAcceptedProfiles);
        set(text(p.getTrustAnchorsFile()), format::setTrustAnchorsFile);
        set(text(p.getCrlFiles()), format::setCrlFiles);
        set(text(p.getRecipientAddresses()), format::setRecipientAddresses);
        set(text(p.getRsaProvider()), format::setRsaProvider);
        set(text(p.getValidationTime()), format::setValidationTime);
        set(text(p.getWorkDirectory()), format::setWorkDirectory);
        set(text(p.getBodyType()), format::setBodyType);
        if (p.getKeystoreFile() != null) {
            try {
                // the current key, plus the keys kept from earlier certificates for decryption
                format.useKeystore(new PinProtectedKeyStore(Path.of(text(p.getKeystoreFile()).strip())),
                        text(p.getKeystorePassword()).toCharArray(), text(p.getKeystoreAlias()));
            } catch (KeyStoreAccessException e) {
                throw new IllegalStateException("camel.dataformat.kvconnect-smime.keystore-file: " + e.getMessage()
                                                + " (check the file and keystore-password)", e);
            }
        }
        if (p.getCertificateResolver() != null) {
            format.setCertificateResolver(KvConnectComponentCustomizer.lookup(camelContext,
                    "camel.dataformat.kvconnect-smime.certificate-resolver", p.getCertificateResolver(),
                    CertificateResolver.class));
        }
    }

    /** Resolves Camel property placeholders ({@code "{{vault:...}}"}, {@code "{{KVC_PIN}}"}) in a text option. */
    private String text(String value) {
        return value == null ? null : camelContext.resolvePropertyPlaceholders(value);
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
