package io.github.camelkvconnect.examples.oneclick;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The Begleitdatei ({@code begleitdatei.xml}): the machine-readable description of a 1-Click-Abrechnung Lieferung
 * (schema {@code KVTA_Einliefung_Abrechnung_2_0_0.xsd}, root element {@code einlieferung}; every value travels in the
 * {@code V} attribute of its element). Its {@code guid} identifies the Lieferung; the KV returns the file unchanged
 * in its Rueckmeldung, which is how the answer is matched to the Lieferung.
 *
 * @param version            counts deliveries of the same data package, 1 for the first one (a correction keeps the GUID
 *                           and counts up)
 * @param guid               the Lieferung's GUID, {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}
 * @param bsnr               the practice's Betriebsstaettennummer (site number, 9 digits)
 * @param testdaten          true for a test billing, false for the real one
 * @param lieferungsZeitpunkt when the Lieferung was sent
 * @param dokumentenTyp      the kind of data package, e.g. {@code ABRECHNUNG}
 * @param quartal            the billing quarter, {@code JJJJ-Q}
 * @param vollstaendig       true if no further partial deliveries follow for this quarter
 * @param anhaenge           the names of the other attachments (not the Begleitdatei itself), at least one
 */
public record Begleitdatei(int version, String guid, String bsnr, boolean testdaten, OffsetDateTime lieferungsZeitpunkt,
                           String dokumentenTyp, String quartal, boolean vollstaendig, List<String> anhaenge) {

    public static final String NAMESPACE = "http://www.kv-telematik.de/1-Click/Meldung_Einlieferung/2.0.0";
    /** Referenced without a path, as the Begleitdatei specification demands. */
    public static final String SCHEMA = "KVTA_Einliefung_Abrechnung_2_0_0.xsd";
    public static final String ROOT = "einlieferung";

    /** The allowed dokumenten_typ values of the schema. */
    public static final Set<String> DOKUMENTEN_TYPEN = Set.of("ABRECHNUNG", "ABRECHNUNG HZV", "SAMMELERKLÄRUNG",
            "ABRECHNUNG+SAMMELERKLÄRUNG", "DMP", "EHKS", "QSMG", "QSHGV", "QSHGVK", "QSHLT", "QSKE");

    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern BSNR = Pattern.compile("[0-9]{9}");
    private static final Pattern QUARTAL = Pattern.compile("[0-9]{4}-[1-4]");
    /** A Begleitdatei is a few hundred bytes; a much larger one is not read (it would only cost memory). */
    private static final int MAX_SIZE = 64 * 1024;
    private static final List<String> ELEMENTS = List.of("version", "guid", "bsnr", "testdaten", "lieferungs_zeitpunkt",
            "dokumenten_typ", "quartal", "vollstaendig", "anhang");

    /** Checks every field against the schema's rules. */
    public Begleitdatei {
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        if (guid == null || !GUID.matcher(guid).matches()) {
            throw new IllegalArgumentException("guid must look like xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex), was " + guid);
        }
        if (bsnr == null || !BSNR.matcher(bsnr).matches()) {
            throw new IllegalArgumentException("bsnr (Betriebsstaettennummer) must be 9 digits, was " + bsnr);
        }
        if (lieferungsZeitpunkt == null) {
            throw new IllegalArgumentException("lieferungs_zeitpunkt is missing");
        }
        if (dokumentenTyp == null || !DOKUMENTEN_TYPEN.contains(dokumentenTyp)) {
            throw new IllegalArgumentException("dokumenten_typ must be one of " + DOKUMENTEN_TYPEN + ", was " + dokumentenTyp);
        }
        if (quartal == null || !QUARTAL.matcher(quartal).matches()) {
            throw new IllegalArgumentException("quartal must be JJJJ-Q (e.g. 2026-3), was " + quartal);
        }
        if (anhaenge == null || anhaenge.isEmpty()) {
            throw new IllegalArgumentException("at least one anhang (attachment name) is needed");
        }
        for (String name : anhaenge) {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("anhang must be a plain file name, was " + name);
            }
            if (name.equalsIgnoreCase(OneClick.BEGLEITDATEI)) {
                throw new IllegalArgumentException("the Begleitdatei does not list itself as anhang");
            }
        }
        anhaenge = List.copyOf(anhaenge);
    }

    /** A new Lieferung: a fresh random GUID, version 1, sent now (German time, to the second). */
    public static Begleitdatei neu(String bsnr, boolean testdaten, String dokumentenTyp, String quartal,
                                   boolean vollstaendig, List<String> anhaenge) {
        return new Begleitdatei(1, UUID.randomUUID().toString(), bsnr, testdaten,
                OffsetDateTime.now(ZoneId.of("Europe/Berlin")).truncatedTo(ChronoUnit.SECONDS), dokumentenTyp, quartal, vollstaendig, anhaenge);
    }

    /** Whether the GUID has the form the specification demands; check before using a GUID from a message as a key. */
    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    /** Writes the file, UTF-8; values are escaped by the XML writer. */
    public void writeTo(OutputStream out) throws IOException {
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, ROOT);
            w.writeDefaultNamespace(NAMESPACE);
            w.writeNamespace("xsi", XSI);
            w.writeAttribute(XSI, "schemaLocation", NAMESPACE + " " + SCHEMA);
            value(w, "version", Integer.toString(version));
            value(w, "guid", guid);
            value(w, "bsnr", bsnr);
            value(w, "testdaten", Boolean.toString(testdaten));
            value(w, "lieferungs_zeitpunkt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(lieferungsZeitpunkt));
            value(w, "dokumenten_typ", dokumentenTyp);
            value(w, "quartal", quartal);
            value(w, "vollstaendig", Boolean.toString(vollstaendig));
            for (String anhang : anhaenge) {
                value(w, "anhang", anhang);
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot write the Begleitdatei: " + e.getMessage(), e);
        }
    }

    /** The file as bytes (UTF-8). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void value(XMLStreamWriter w, String element, String value) throws XMLStreamException {
        w.writeCharacters("\n    ");
        w.writeEmptyElement(NAMESPACE, element);
        w.writeAttribute("V", value);
    }

    /** Reads and checks a Begleitdatei (all elements, all rules). */
    public static Begleitdatei parse(InputStream in) throws BegleitdateiException {
        return of(readValues(in));
    }

    /** Builds the record from the element values read by {@link #readValues(InputStream)}, checking every rule. */
    public static Begleitdatei of(Map<String, List<String>> values) throws BegleitdateiException {
        try {
            return new Begleitdatei(Integer.parseInt(single(values, "version")), single(values, "guid"),
                    single(values, "bsnr"), bool(single(values, "testdaten"), "testdaten"),
                    dateTime(single(values, "lieferungs_zeitpunkt")), single(values, "dokumenten_typ"),
                    single(values, "quartal"), bool(single(values, "vollstaendig"), "vollstaendig"),
                    values.getOrDefault("anhang", List.of()));
        } catch (NumberFormatException e) {
            throw new BegleitdateiException("Begleitdatei: version is not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BegleitdateiException("Begleitdatei: " + e.getMessage());
        }
    }

    /**
     * Reads the {@code V} values of the known child elements of {@code einlieferung}, without checking them: a
     * receiver that only needs the GUID (to match a Rueckmeldung) can still use a file with other defects. DTDs and
     * external entities are refused (the file comes from another party).
     */
    public static Map<String, List<String>> readValues(InputStream in) throws BegleitdateiException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_SIZE + 1);
        } catch (IOException e) {
            throw new BegleitdateiException("Cannot read the Begleitdatei: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_SIZE) {
            throw new BegleitdateiException("The Begleitdatei is larger than " + MAX_SIZE / 1024 + " KiB; it cannot be one");
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Map<String, List<String>> values = new LinkedHashMap<>();
        try {
            XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
            r.nextTag();
            if (!ROOT.equals(r.getLocalName()) || !NAMESPACE.equals(r.getNamespaceURI())) {
                throw new BegleitdateiException("The Begleitdatei's root element must be {" + NAMESPACE + "}" + ROOT
                                                + ", found {" + r.getNamespaceURI() + "}" + r.getLocalName());
            }
            int depth = 1;
            while (r.hasNext() && depth > 0) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (depth == 2 && ELEMENTS.contains(name)) {
                        String v = r.getAttributeValue(null, "V");
                        values.computeIfAbsent(name, k -> new ArrayList<>()).add(v == null ? null : v.strip());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            throw new BegleitdateiException("The Begleitdatei is not well-formed XML: " + e.getMessage(), e);
        }
        return values;
    }

    private static String single(Map<String, List<String>> values, String element) {
        List<String> list = values.get(element);
        if (list == null || list.isEmpty() || list.get(0) == null) {
            throw new IllegalArgumentException("element " + element + " (with attribute V) is missing");
        }
        if (list.size() > 1) {
            throw new IllegalArgumentException("element " + element + " must occur once, found " + list.size());
        }
        return list.get(0);
    }

    private static boolean bool(String value, String element) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException(element + " must be true or false, was " + value);
        };
    }

    /** xs:dateTime: with an offset, or without one (then read as German local time). */
    private static OffsetDateTime dateTime(String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(value).atZone(ZoneId.of("Europe/Berlin")).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("lieferungs_zeitpunkt must be an xs:dateTime, was " + value);
            }
        }
    }
}
