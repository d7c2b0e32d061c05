package io.github.camelkvconnect.examples.oneclick.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-page PDF with lines of text: the check protocol ({@code Protokoll.pdf}) the simulated KV attaches to its
 * Rueckmeldung. A complete, valid PDF (catalog, page tree, page, Helvetica, content stream, cross-reference table),
 * written by hand because a PDF library would be a large dependency for a few lines of text. Characters outside
 * printable ASCII are replaced (umlauts spelled out), which Helvetica's standard encoding can show.
 */
final class ProtokollPdf {

    private static final int MAX_LINES = 60;

    private ProtokollPdf() {
    }

    static byte[] render(List<String> lines) {
        StringBuilder content = new StringBuilder("BT /F1 11 Tf 50 790 Td 15 TL\n");
        lines.stream().limit(MAX_LINES).forEach(line -> content.append('(').append(escape(line)).append(") Tj T*\n"));
        content.append("ET\n");
        byte[] stream = content.toString().getBytes(StandardCharsets.US_ASCII);

        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
                + " /Contents 5 0 R >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                "<< /Length " + stream.length + " >>\nstream\n" + new String(stream, StandardCharsets.US_ASCII) + "endstream");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        ascii(out, "%PDF-1.4\n");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            ascii(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        // Every entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n, space, LF.
        offsets.forEach(o -> table.append(String.format("%010d 00000 n \n", o)));
        table.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        ascii(out, table.toString());
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** PDF string literal: backslash and parentheses escaped, only printable ASCII. */
    static String escape(String line) {
        String s = line.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("Ä", "Ae").replace("Ö", "Oe")
                .replace("Ü", "Ue").replace("ß", "ss");
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append('?');
            }
        }
        return b.toString();
    }
}
