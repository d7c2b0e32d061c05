package io.github.camelkvconnect.component.mime;

import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.crypto.ContentLease;
import io.github.camelkvconnect.component.crypto.ReceivedMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class InboundMapperTest {

    /** An encoded word may decode to CR/LF: the mapped header must not carry a line break into the route. */
    @Test
    void decodedLineBreaksNeverReachHeaders() throws Exception {
        MimeMessage entity = new MimeMessage((Session) null);
        entity.setText("Befund anbei", "utf-8");
        entity.saveChanges();
        Map<String, String> headers = Map.of(
                "subject", "=?UTF-8?Q?Befund=0D=0ABcc:_x@evil.example?=",
                "x-kvc-dienstkennung", "Arztbrief;VHitG-Versand;V1.0\u0000\r\nX-Evil: 1");
        try (CamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            InboundMapper.map(new ReceivedMessage(entity, headers, "VALID", null, null, null), "a@kv-safenet.de", 1024,
                    exchange);
            assertEquals("Befund  Bcc: x@evil.example", exchange.getIn().getHeader(KvConnectConstants.SUBJECT));
            assertEquals("Arztbrief;VHitG-Versand;V1.0   X-Evil: 1",
                    exchange.getIn().getHeader(KvConnectConstants.DIENSTKENNUNG));
        }
    }

    /** The data source's name is what downstream code (e.g. a file writer) uses: it must be the sanitised one. */
    @Test
    void attachmentDataSourceCarriesTheSanitisedName() throws Exception {
        MimeMessage entity = new MimeMessage((Session) null);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Befund anbei", "utf-8");
        mixed.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setText("payload", "utf-8");
        attachment.setFileName("../../etc/cron.d/evil\u202Efdp.sh");
        attachment.setDisposition("attachment");
        mixed.addBodyPart(attachment);
        entity.setContent(mixed);
        entity.saveChanges();

        try (CamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            InboundMapper.map(new ReceivedMessage(entity, Map.of(), "VALID", null, null, null), "a@kv-safenet.de", 1024,
                    exchange);
            AttachmentMessage in = exchange.getIn(AttachmentMessage.class);
            String expected = AttachmentNames.safe("../../etc/cron.d/evil\u202Efdp.sh");
            assertEquals("evil_fdp.sh", expected);
            DataHandler handler = in.getAttachment(expected);
            assertNotNull(handler, "attachment names: " + in.getAttachmentNames());
            assertEquals(expected, handler.getName());
            assertEquals(expected, handler.getDataSource().getName());
        }
    }

    /** The worst layer's status, and every layer's, become headers. */
    @Test
    void signatureStatusOfEveryLayerIsAHeader() throws Exception {
        MimeMessage entity = new MimeMessage((Session) null);
        entity.setText("Befund anbei", "utf-8");
        entity.saveChanges();
        try (CamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            InboundMapper.map(new ReceivedMessage(entity, Map.of(), "BAD_SIGNATURE", "layer 2 of 2: altered", null, null,
                    java.util.List.of("EXPIRED", "BAD_SIGNATURE"), ContentLease.none()), "a@kv-safenet.de", 1024, exchange);
            assertEquals("BAD_SIGNATURE", exchange.getIn().getHeader(KvConnectConstants.SIGNATURE_STATUS));
            assertEquals(java.util.List.of("EXPIRED", "BAD_SIGNATURE"),
                    exchange.getIn().getHeader(KvConnectConstants.SIGNATURE_LAYERS));
            assertEquals(Boolean.FALSE, exchange.getIn().getHeader(KvConnectConstants.SIGNATURE_VALID));

            Exchange single = new DefaultExchange(camel);
            InboundMapper.map(new ReceivedMessage(entity, Map.of(), "VALID", null, null, null), "a@kv-safenet.de", 1024,
                    single);
            assertEquals(java.util.List.of("VALID"), single.getIn().getHeader(KvConnectConstants.SIGNATURE_LAYERS));
        }
    }
}
