package io.github.camelkvconnect.component;

/** What the consumer does with a message whose signature is not valid. */
public enum SignaturePolicy {
    /**
     * Deliver it with a WARN log and the signature headers set, as the KV-Connect service description demands; the
     * route decides.
     */
    warn,
    /** Do not deliver it: the message is treated like a failed exchange and stays on the server. */
    reject
}
