package io.github.camelkvconnect.examples.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated sample is a structurally valid PDF: every cross-reference entry points at its object. */
class SamplePdfTest {

    @Test
    void crossReferenceTableAndStartxrefPointAtTheRightBytes() {
        byte[] pdf = SamplePdf.create(List.of("Line (one)", "Zeile zwei \u00e4"));
        String text = new String(pdf, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("%PDF-1.4\n"));
        assertTrue(text.endsWith("%%EOF\n"));
        assertTrue(text.contains("(Line \\(one\\)) Tj"), "parentheses escaped");
        assertTrue(text.contains("(Zeile zwei ?) Tj"), "non-ASCII replaced");

        Matcher startxref = Pattern.compile("startxref\n(\\d+)\n").matcher(text);
        assertTrue(startxref.find());
        int xref = Integer.parseInt(startxref.group(1));
        assertTrue(text.startsWith("xref\n0 6\n", xref), "startxref points at the table");

        Matcher entries = Pattern.compile("(\\d{10}) 00000 n \n").matcher(text.substring(xref));
        int object = 0;
        while (entries.find()) {
            object++;
            int offset = Integer.parseInt(entries.group(1));
            assertTrue(text.startsWith(object + " 0 obj\n", offset), "object " + object + " at " + offset);
        }
        assertEquals(5, object);

        Matcher length = Pattern.compile("/Length (\\d+) >>\nstream\n").matcher(text);
        assertTrue(length.find());
        int streamStart = length.end();
        assertTrue(text.startsWith("endstream", streamStart + Integer.parseInt(length.group(1))), "stream length exact");
    }
}
