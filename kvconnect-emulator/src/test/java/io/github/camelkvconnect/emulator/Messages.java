package io.github.camelkvconnect.emulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small S/MIME-shaped test messages with clear routing headers (the body is opaque to the server). */
final class Messages {

    private Messages() {
    }

    static String newMessageId() {
        return "<" + UUID.randomUUID() + "@kv-safenet.de>";
    }

    static byte[] message(String from, String to, String messageId, String subject) {
        return message(from, to, null, messageId, subject);
    }

    static byte[] message(String from, String to, String cc, String messageId, String subject) {
        String text = "Message-ID: " + messageId + "\r\n"
                + "Date: Sat, 28 Nov 2026 20:00:00 +0100\r\n"
                + "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + (cc == null ? "" : "Cc: " + cc + "\r\n")
                + "Subject: " + subject + "\r\n"
                + "X-KVC-Dienstkennung: eMail-Dienst;Lieferung;V1.0\r\n"
                + "X-KVC-Sendersystem: camel-kvconnect-test;1.0\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + "MIAGCSqGSIb3DQEHA6CAMIACAQAxggF" + UUID.randomUUID().toString().replace("-", "") + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
