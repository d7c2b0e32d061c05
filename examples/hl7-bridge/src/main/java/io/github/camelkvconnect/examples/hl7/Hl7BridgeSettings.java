package io.github.camelkvconnect.examples.hl7;

import java.util.Objects;

/**
 * What the bridge connects.
 *
 * @param kvconnectConsumerUri the bridge account's consumer endpoint, e.g.
 *                             {@code kvconnect:labor@kv-safenet.de?serverUrl=...&dienstkennungFilter=...}
 * @param kvconnectProducerUri the bridge account's producer endpoint (usually the same account without consumer
 *                             options)
 * @param mllpTarget           {@code host:port} of the MLLP listener of the hospital or lab system
 * @param mllpListen           {@code host:port} the bridge listens on for HL7v2 messages to send over KV-Connect
 * @param recipient            the KV-Connect address that HL7v2 messages from MLLP go to
 * @param dienstkennung        the X-KVC-Dienstkennung (service identifier) of those messages. KV-Connect defines no
 *                             public identifier for HL7v2; agree one with the recipient
 */
public record Hl7BridgeSettings(String kvconnectConsumerUri, String kvconnectProducerUri, String mllpTarget,
        String mllpListen, String recipient, String dienstkennung) {

    /** Checks that every setting is present. */
    public Hl7BridgeSettings {
        Objects.requireNonNull(kvconnectConsumerUri, "kvconnectConsumerUri");
        Objects.requireNonNull(kvconnectProducerUri, "kvconnectProducerUri");
        Objects.requireNonNull(mllpTarget, "mllpTarget");
        Objects.requireNonNull(mllpListen, "mllpListen");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(dienstkennung, "dienstkennung");
    }
}
