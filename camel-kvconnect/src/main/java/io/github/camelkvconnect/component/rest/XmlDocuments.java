package io.github.camelkvconnect.component.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Parses the small XML documents the KV-Connect server answers with. DTDs and external entities are refused, so a
 * hostile or compromised server cannot make the client read local files (XXE) or expand entity bombs.
 */
final class XmlDocuments {

    /** JDK property (jdk.xml.maxElementDepth) of the built-in parser. */
    private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";
    /** Far above the depth of any KV-Connect answer (3 to 4 levels), far below what the stack holds. */
    static final int MAX_DEPTH = 64;

    private static final DocumentBuilderFactory FACTORY = createFactory();

    private XmlDocuments() {
    }

    private static DocumentBuilderFactory createFactory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // the server's documents are a few levels deep; a deeply nested one would overflow the stack of the
            // recursive walks over the DOM (StackOverflowError instead of an IOException), so the parser refuses it
            factory.setAttribute(MAX_ELEMENT_DEPTH, String.valueOf(MAX_DEPTH));
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK XML parser does not support secure processing", e);
        }
    }

    static Element parse(InputStream in, String what) throws IOException {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(in);
            return document.getDocumentElement();
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException("The KV-Connect server answered " + what + " with a document that is not valid XML: "
                                  + e.getMessage(), e);
        }
    }

    /** The text of the first direct or nested child element with this name (case-insensitive), or {@code null}. */
    static String text(Element parent, String name) {
        Element child = first(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    static Element first(Element parent, String name) {
        List<Element> all = all(parent, name);
        return all.isEmpty() ? null : all.get(0);
    }

    /** All descendant elements with this name (case-insensitive), in document order. */
    static List<Element> all(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        collect(parent, name.toLowerCase(Locale.ROOT), result);
        return result;
    }

    private static void collect(Element parent, String lowerName, List<Element> result) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (localName(e).equals(lowerName)) {
                    result.add(e);
                }
                collect(e, lowerName, result);
            }
        }
    }

    static String localName(Element e) {
        String name = e.getTagName();
        int colon = name.indexOf(':');
        return (colon >= 0 ? name.substring(colon + 1) : name).toLowerCase(Locale.ROOT);
    }

    /** The direct child elements of {@code parent}. */
    static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }
}
