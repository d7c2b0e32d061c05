package io.github.camelkvconnect.component.health;

import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.smime.SmimeCredentials;

/** The endpoint services the health check uses (they are package-private on the endpoint). */
final class Access {

    private final KvConnectEndpoint endpoint;

    Access(KvConnectEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    String serverVersion() throws Exception {
        return endpoint.healthServerVersion();
    }

    void login() throws Exception {
        endpoint.healthLogin();
    }

    SmimeCredentials credentials() {
        return endpoint.healthCredentials();
    }
}
