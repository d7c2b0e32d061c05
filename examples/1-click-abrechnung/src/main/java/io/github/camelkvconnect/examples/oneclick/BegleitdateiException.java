package io.github.camelkvconnect.examples.oneclick;

/**
 * A Begleitdatei (the XML file accompanying a 1-Click-Abrechnung Lieferung) that cannot be read or that violates the
 * rules of its schema. The message names the element and the rule.
 */
public class BegleitdateiException extends Exception {

    private static final long serialVersionUID = 1L;

    public BegleitdateiException(String message) {
        super(message);
    }

    public BegleitdateiException(String message, Throwable cause) {
        super(message, cause);
    }
}
