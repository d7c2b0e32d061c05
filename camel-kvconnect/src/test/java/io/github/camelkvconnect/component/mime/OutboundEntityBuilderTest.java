package io.github.camelkvconnect.component.mime;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.WrappedFile;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File bodies from file consumers become binary attachment parts; no emulator needed to see the MIME part. */
class OutboundEntityBuilderTest {

    private static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < ALL_BYTES.length; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    @TempDir
    Path dir;

    private final CamelContext context = new DefaultCamelContext();
    private final List<Path> tempFiles = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        tempFiles.forEach(TempFiles::deleteQuietly);
        context.close();
    }

    @Test
    void localGenericFileIsStreamedFromItsFileUnderItsOwnName() throws Exception {
        Path file = Files.write(dir.resolve("scan.pdf"), ALL_BYTES);
        GenericFile<File> body = new GenericFile<>();
        body.setFile(file.toFile());
        body.setFileNameOnly("Befund.pdf");
        Exchange exchange = exchange(body);

        MimeBodyPart part = build(exchange);

        assertEquals("Befund.pdf", part.getFileName(), "GenericFile#getFileNameOnly without the CamelFileNameOnly header");
        assertEquals("application/pdf", new ContentType(part.getContentType()).getBaseType());
        assertEquals("base64", part.getEncoding());
        assertArrayEquals(ALL_BYTES, read(part));
        assertTrue(tempFiles.isEmpty(), "a local file is read where it is, not copied");
    }

    @Test
    void remoteFileStreamIsSpooledWithNameAndContentTypeFromHeaders() throws Exception {
        WrappedFile<Object> remote = new WrappedFile<>() {
            @Override
            public Object getFile() {
                return "an FTP server's file handle";
            }

            @Override
            public Object getBody() {
                return new ByteArrayInputStream(ALL_BYTES);
            }

            @Override
            public long getFileLength() {
                return ALL_BYTES.length;
            }
        };
        Exchange exchange = exchange(remote);
        exchange.getMessage().setHeader(Exchange.FILE_NAME_ONLY, "labor.ldt");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-ldt");

        MimeBodyPart part = build(exchange);

        assertEquals("labor.ldt", part.getFileName());
        assertEquals("application/x-ldt", new ContentType(part.getContentType()).getBaseType());
        assertArrayEquals(ALL_BYTES, read(part));
        assertEquals(1, tempFiles.size(), "the stream was spooled to a temporary file");
    }

    @Test
    void unknownFileTypeIsOctetStreamAndAnInjectedContentTypeIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("data.zzz-unknown"), ALL_BYTES);
        assertEquals("application/octet-stream",
                new ContentType(build(exchange(file.toFile())).getContentType()).getBaseType());

        Exchange injected = exchange(file);
        injected.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/pdf\r\nBcc: mallory@kv-safenet.de");
        KvConnectInvalidHeaderException e = assertThrows(KvConnectInvalidHeaderException.class, () -> build(injected));
        assertTrue(e.getMessage().contains("Content-Type"), e.getMessage());
    }

    private Exchange exchange(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private MimeBodyPart build(Exchange exchange) throws Exception {
        return new OutboundEntityBuilder(dir.resolve("work")).build(exchange, tempFiles);
    }

    private static byte[] read(MimeBodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
