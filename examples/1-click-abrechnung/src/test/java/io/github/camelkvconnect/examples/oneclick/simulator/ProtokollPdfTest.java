package io.github.camelkvconnect.examples.oneclick.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check protocol is a structurally valid PDF: the cross-reference table and the stream length are exact. */
class ProtokollPdfTest {

    @Test
    void offsetsAndLengthPointAtTheRightBytes() {
        String pdf = new String(ProtokollPdf.render(List.of("Ergebnis: (ok) \\ fertig", "Prüfung größer")),
                StandardCharsets.US_ASCII);
        assertTrue(pdf.startsWith("%PDF-1.4\n") && pdf.endsWith("%%EOF\n"));
        assertTrue(pdf.contains("(Ergebnis: \\(ok\\) \\\\ fertig) Tj"), pdf);
        assertTrue(pdf.contains("(Pruefung groesser) Tj"), pdf);

        Matcher startxref = Pattern.compile("startxref\n(\\d+)\n%%EOF\n$").matcher(pdf);
        assertTrue(startxref.find());
        int xref = Integer.parseInt(startxref.group(1));
        assertTrue(pdf.startsWith("xref\n0 6\n0000000000 65535 f \n", xref));
        Matcher entry = Pattern.compile("(\\d{10}) 00000 n \n").matcher(pdf.substring(xref));
        int object = 0;
        while (entry.find()) {
            object++;
            assertTrue(pdf.startsWith(object + " 0 obj\n", Integer.parseInt(entry.group(1))), "object " + object);
        }
        assertEquals(5, object);

        Matcher stream = Pattern.compile("/Length (\\d+) >>\nstream\n").matcher(pdf);
        assertTrue(stream.find());
        int start = stream.end();
        assertTrue(pdf.startsWith("endstream", start + Integer.parseInt(stream.group(1))));
    }
}
