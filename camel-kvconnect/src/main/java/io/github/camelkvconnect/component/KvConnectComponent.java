package io.github.camelkvconnect.component;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

import io.github.camelkvconnect.component.mime.HeaderValues;

/** The {@code kvconnect:} component: KV-Connect messaging over the KV-Connect Server REST interface. */
@Component("kvconnect")
public class KvConnectComponent extends HealthCheckComponent {

    @Metadata(label = "advanced")
    private KvConnectConfiguration configuration = new KvConnectConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("The account address is missing: use kvconnect:<address>, e.g. "
                                               + "kvconnect:praxis.mueller@kv-safenet.de");
        }
        String address = HeaderValues.address("endpoint address", remaining.strip());
        // configuration=#bean: one account's configuration shared through the registry; each endpoint gets a copy.
        KvConnectConfiguration shared
                = resolveAndRemoveReferenceParameter(parameters, "configuration", KvConnectConfiguration.class);
        KvConnectConfiguration base = shared != null ? shared : configuration;
        KvConnectConfiguration copy = base != null ? base.copy() : new KvConnectConfiguration();
        KvConnectEndpoint endpoint = new KvConnectEndpoint(uri, this, copy);
        endpoint.setAddress(address);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public KvConnectConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The shared configuration of all endpoints of this component; each endpoint works on a copy and may override
     * single options in its URI.
     */
    public void setConfiguration(KvConnectConfiguration configuration) {
        this.configuration = configuration;
    }
}
