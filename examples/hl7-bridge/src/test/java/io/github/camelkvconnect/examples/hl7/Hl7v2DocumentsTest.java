package io.github.camelkvconnect.examples.hl7;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recognising, repairing and rejecting HL7v2 content; file names from sender-chosen control ids. */
class Hl7v2DocumentsTest {

    @Test
    void recognisesHl7AttachmentsByMediaTypeOrFileName() {
        assertTrue(Hl7v2Documents.isHl7v2("x.bin", "application/hl7-v2; charset=ISO-8859-1"));
        assertTrue(Hl7v2Documents.isHl7v2("BEFUND.HL7", "application/octet-stream"));
        assertFalse(Hl7v2Documents.isHl7v2("befund.pdf", "application/pdf"));
        assertFalse(Hl7v2Documents.isHl7v2(null, null));
    }

    @Test
    void segmentSeparatorsAreRestoredToCr() {
        assertEquals("MSH|a\rPID|b\rOBX|c", Hl7v2Documents.normalize("MSH|a\r\nPID|b\nOBX|c\r\n"));
    }

    @Test
    void garbageIsRefusedWithATypedException() {
        Hl7BridgeException e = assertThrows(Hl7BridgeException.class, () -> new Hl7v2Documents().parse("hello, world"));
        assertTrue(e.getMessage().contains("Not a valid HL7v2 message"), e.getMessage());
    }

    @Test
    void controlIdBecomesASafeFileName() {
        assertEquals("MSG00001", Hl7BridgeRoutes.safeFileName("MSG00001"));
        assertEquals("hl7-message.._.._etc_passwd", Hl7BridgeRoutes.safeFileName("../../etc/passwd"));
        assertEquals("a_b_c", Hl7BridgeRoutes.safeFileName("a\rb\u202ec"));
        assertEquals("hl7-message", Hl7BridgeRoutes.safeFileName(""));
        assertEquals(100, Hl7BridgeRoutes.safeFileName("x".repeat(500)).length());
    }
}
