package io.github.camelkvconnect.examples.hl7;

/**
 * A document cannot be bridged: no HL7v2 attachment in a KV-Connect message, or content that is not a parseable
 * HL7v2 message. The message is not forwarded; a KV-Connect message stays on the server, an MLLP sender gets a
 * negative acknowledgement.
 */
public class Hl7BridgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and what to do
     * @param cause   the parser's exception, or null
     */
    public Hl7BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
