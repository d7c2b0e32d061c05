package io.github.camelkvconnect.examples.oneclick;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BegleitdateiTest {

    private static final OffsetDateTime WHEN = OffsetDateTime.parse("2026-11-29T10:25:00+01:00");

    @Test
    void writtenFileReadsBackEqualWithEveryValueInItsVAttribute() throws Exception {
        Begleitdatei b = new Begleitdatei(2, "0f8fad5b-d9cb-469f-a165-70867728950e", "721234500", true, WHEN,
                "ABRECHNUNG", "2026-3", false, List.of("Z01721234500_29.11.2026_10.25.con.xkm"));
        String xml = new String(b.toBytes(), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<einlieferung xmlns=\"" + Begleitdatei.NAMESPACE + "\""), xml);
        assertTrue(xml.contains("<version V=\"2\"/>"), xml);
        assertTrue(xml.contains("<guid V=\"0f8fad5b-d9cb-469f-a165-70867728950e\"/>"), xml);
        assertTrue(xml.contains("<testdaten V=\"true\"/>"), xml);
        assertTrue(xml.contains("<lieferungs_zeitpunkt V=\"2026-11-29T10:25:00+01:00\"/>"), xml);
        assertTrue(xml.contains("<vollstaendig V=\"false\"/>"), xml);
        assertTrue(xml.contains("<anhang V=\"Z01721234500_29.11.2026_10.25.con.xkm\"/>"), xml);
        assertEquals(b, Begleitdatei.parse(new ByteArrayInputStream(b.toBytes())));
    }

    @Test
    void valuesAreEscaped() throws Exception {
        Begleitdatei b = new Begleitdatei(1, "0f8fad5b-d9cb-469f-a165-70867728950e", "721234500", false, WHEN,
                "ABRECHNUNG+SAMMELERKLÄRUNG", "2026-3", true, List.of("a\"b<c>&d.con.xkm"));
        String xml = new String(b.toBytes(), StandardCharsets.UTF_8);
        assertTrue(xml.contains("&amp;") && xml.contains("&lt;") && !xml.contains("\"b<c"), xml);
        assertEquals(b, Begleitdatei.parse(new ByteArrayInputStream(b.toBytes())));
    }

    @Test
    void aDoctypeIsRefusedSoNoExternalEntityIsEverResolved() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE einlieferung [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                     + "<einlieferung xmlns=\"" + Begleitdatei.NAMESPACE + "\"><guid V=\"&x;\"/></einlieferung>";
        assertThrows(BegleitdateiException.class,
                () -> Begleitdatei.readValues(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void ruleViolationsNameTheElement() {
        String xml = "<einlieferung xmlns=\"" + Begleitdatei.NAMESPACE + "\"><version V=\"1\"/>"
                     + "<guid V=\"0f8fad5b-d9cb-469f-a165-70867728950e\"/><bsnr V=\"12345\"/><testdaten V=\"false\"/>"
                     + "<lieferungs_zeitpunkt V=\"2026-11-29T10:25:00\"/><dokumenten_typ V=\"ABRECHNUNG\"/>"
                     + "<quartal V=\"2026-3\"/><vollstaendig V=\"true\"/><anhang V=\"x.con.xkm\"/></einlieferung>";
        BegleitdateiException e = assertThrows(BegleitdateiException.class,
                () -> Begleitdatei.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("bsnr"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Begleitdatei(1, "0f8fad5b-d9cb-469f-a165-70867728950e",
                "721234500", false, WHEN, "ABRECHNUNG", "2026-5", true, List.of("x.con.xkm")));
        assertThrows(IllegalArgumentException.class, () -> new Begleitdatei(1, "../../etc", "721234500", false, WHEN,
                "ABRECHNUNG", "2026-3", true, List.of("x.con.xkm")));
    }

    @Test
    void previousQuarterIsTheDefaultBillingQuarter() {
        assertEquals("2026-3", LieferungOptions.previousQuarter(java.time.LocalDate.of(2026, 11, 29)));
        assertEquals("2026-4", LieferungOptions.previousQuarter(java.time.LocalDate.of(2027, 1, 2)));
    }
}
