package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import jakarta.mail.internet.InternetHeaders;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The module's header-block parser gives what Jakarta Mail's {@code new InternetHeaders(InputStream)} gives. */
class MimeHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "From: a@kv-safenet.de\r\nTo: b@kv-safenet.de\r\nSubject: Arztbrief\r\n\r\nbody\r\n",
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n\tboundary=\"x\"\r\n\r\nbody",
            "Subject: folded\r\n  twice\r\n\tthrice\r\nX-KVC-Dienstkennung: Arztbrief;VHitG-Versand;V1.0\r\n\r\n",
            "From: lf@only\nSubject: lines\n with LF\n\nbody\n",
            "From: cr@only\rSubject: bare CR\r\rbody",
            "From: crcrlf\r\r\nSubject: x\r\n\r\nbody",
            " leading continuation\r\nFrom: a\r\n\r\n",
            "Subject: Befund f\u00fcr M\u00fcller \u00e4\u00f6\r\n\r\n",
            "No-Blank-Line: at the end\r\nX: y",
            "",
            "\r\nbody right away"})
    void sameAsInternetHeaders(String block) throws Exception {
        byte[] bytes = block.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        InternetHeaders jakarta = new InternetHeaders(in);
        byte[] jakartaBody = in.readAllBytes();

        MimeFiles.HeaderBlock ours = MimeFiles.parseHeaders(bytes, 0, bytes.length);

        assertEquals(lines(jakarta), lines(ours.headers()));
        assertEquals(jakarta.getHeader("Subject", null), ours.headers().getHeader("Subject", null));
        assertArrayEquals(jakartaBody, java.util.Arrays.copyOfRange(bytes, ours.end(), bytes.length));
    }

    private static List<String> lines(InternetHeaders headers) {
        return Collections.list(headers.getAllHeaderLines());
    }
}
