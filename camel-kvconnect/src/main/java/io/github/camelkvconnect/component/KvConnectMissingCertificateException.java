package io.github.camelkvconnect.component;

import java.util.List;

/**
 * The message cannot be encrypted because certificates are missing or unusable for some addresses. Nothing was sent.
 */
public class KvConnectMissingCertificateException extends org.apache.camel.CamelException {

    private static final long serialVersionUID = 1L;

    private final List<String> addresses;

    public KvConnectMissingCertificateException(List<String> addresses, String detail) {
        super("Cannot send: no usable encryption certificate for " + String.join(", ", addresses)
              + (detail == null ? "" : " (" + detail + ")")
              + ". Nothing was sent. Check the addresses; each recipient needs a valid KV-Connect certificate on the server.");
        this.addresses = List.copyOf(addresses);
    }

    /** Every address without a usable certificate. */
    public List<String> getAddresses() {
        return addresses;
    }
}
