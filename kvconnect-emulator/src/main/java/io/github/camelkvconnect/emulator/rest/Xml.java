package io.github.camelkvconnect.emulator.rest;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the XML response documents with the JDK's StAX writer (which does the escaping). Fluent, one document per
 * instance.
 */
public final class Xml {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter writer;

    private Xml() {
        try {
            writer = FACTORY.createXMLStreamWriter(out);
            writer.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a new document */
    public static Xml document() {
        return new Xml();
    }

    /** Opens an element. */
    public Xml start(String name) {
        try {
            writer.writeStartElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Adds an attribute to the element just opened. */
    public Xml attribute(String name, String value) {
        try {
            writer.writeAttribute(name, value);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Closes the innermost open element. */
    public Xml end() {
        try {
            writer.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Writes {@code <name>text</name>}; a null text is written as an empty element. */
    public Xml element(String name, String text) {
        start(name);
        if (text != null) {
            try {
                writer.writeCharacters(stripInvalid(text));
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }
        return end();
    }

    /** @return the document text */
    public String toXml() {
        try {
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Header values come from clients: drop characters XML 1.0 cannot carry instead of failing. */
    private static String stripInvalid(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean valid = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || Character.isSurrogate(c) || (c >= 0xE000 && c <= 0xFFFD);
            if (!valid && sb == null) {
                sb = new StringBuilder(text.substring(0, i));
            } else if (valid && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
