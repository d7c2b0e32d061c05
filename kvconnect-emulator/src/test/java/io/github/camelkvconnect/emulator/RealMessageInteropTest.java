package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.segment;
import static io.github.camelkvconnect.emulator.RestClient.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * A real KV-Connect transport message (KV Telematik reference environment, 2018; shared interop vectors) goes through
 * the emulator unchanged: sent by its real sender, listed with its real routing headers, fetched byte for byte.
 */
class RealMessageInteropTest {

    static final String PW = "Secret12AB";

    @Test
    void realTransportMessageIsDeliveredListedAndFetchedUnchanged() throws Exception {
        Path interop = Path.of(System.getProperty("kvconnect.interop.dir", "../../shared/interop"));
        byte[] raw = Files.readAllBytes(interop.resolve("kvconnect-krypt-ios/kvconnect-mail"));
        try (KvConnectEmulator emulator = KvConnectEmulator.builder()
                .account(EmulatorAccount.ready("kvcm.testmailer.KVTG", PW))
                .account(EmulatorAccount.ready("nutzer.123456.anbieter", PW)).start()) {
            HttpResponse<String> sent = new RestClient(emulator).basic("kvcm.testmailer.KVTG", PW).post("mails", raw);
            assertEquals(200, sent.statusCode(), sent.body());

            RestClient recipient = new RestClient(emulator).basic("nutzer.123456.anbieter", PW);
            String uid = emulator.admin().uid("nutzer.123456.anbieter");
            String headers = recipient.get("accounts/" + uid + "/headers").body();
            assertEquals("<20d63e23-68d5-4583-bc54-be5742907439@kvtg-mailer.de>", text(headers, "message-id"));
            assertEquals("kvcm.testmailer.KVTG@kv-safenet.de", text(headers, "from"));
            assertEquals("eMail-Dienst;Lieferung;V1.0", text(headers, "x-kvc-dienstkennung"));
            assertEquals("KVC-Mobile;V1.0", text(headers, "x-kvc-sendersystem"));
            assertTrue(text(headers, "content-type").contains("smime-type=enveloped-data"));

            HttpResponse<byte[]> fetched = recipient.getBytes("accounts/" + uid + "/mails/"
                    + segment(text(headers, "message-id")));
            assertEquals(200, fetched.statusCode());
            assertArrayEquals(raw, fetched.body());
        }
    }
}
