package io.github.camelkvconnect.examples.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;

/**
 * HL7v2 parsing with HAPI: recognises HL7v2 attachments, repairs segment separators that a mail client or a text
 * editor changed, and parses every version into the v2.5 structures (HAPI's canonical model), so one set of
 * structure classes covers v2.1 to v2.5 senders.
 */
public final class Hl7v2Documents {

    /** The media type of an HL7v2 ER7 ("pipe") message. */
    public static final String CONTENT_TYPE = "application/hl7-v2";

    /**
     * HL7v2 in Germany is ISO-8859-1 unless MSH-18 says otherwise; bytes and characters map one to one, so a message
     * passes through unchanged whatever its real charset.
     */
    public static final Charset CHARSET = StandardCharsets.ISO_8859_1;

    private final PipeParser parser;

    /** A parser for every HL7v2 version up to 2.5, with HAPI's default validation. */
    public Hl7v2Documents() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        this.parser = context.getPipeParser();
    }

    /** Whether a KV-Connect attachment is an HL7v2 message, by its media type or file name. */
    public static boolean isHl7v2(String fileName, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        return type.startsWith(CONTENT_TYPE) || type.startsWith("x-application/hl7-v2") || name.endsWith(".hl7");
    }

    /** Segment separators back to CR: mail transport and editors turn them into CRLF or LF. */
    public static String normalize(String er7) {
        return er7.strip().replace("\r\n", "\r").replace('\n', '\r');
    }

    /**
     * Parses an ER7 message.
     *
     * @throws Hl7BridgeException if it is not a valid HL7v2 message
     */
    public Message parse(String er7) {
        try {
            return parser.parse(normalize(er7));
        } catch (HL7Exception e) {
            throw new Hl7BridgeException("Not a valid HL7v2 message: " + e.getMessage()
                                         + ". Check the segment structure (MSH first, CR between segments) with the sender.", e);
        }
    }

    /** Message type and trigger event, e.g. {@code ORU^R01}. */
    public static String type(Message message) {
        return field(message, "/MSH-9-1") + "^" + field(message, "/MSH-9-2");
    }

    /** The message control id (MSH-10). */
    public static String controlId(Message message) {
        return field(message, "/MSH-10");
    }

    private static String field(Message message, String path) {
        try {
            String value = new Terser(message).get(path);
            return value == null ? "" : value;
        } catch (HL7Exception e) {
            throw new Hl7BridgeException("Cannot read " + path + " of the HL7v2 message: " + e.getMessage(), e);
        }
    }
}
