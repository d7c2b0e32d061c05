package io.github.camelkvconnect.component.crash;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import jakarta.activation.DataHandler;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * The application the crash tests kill: a Camel context with the routes named by the arguments, running until the
 * process is killed. Arguments, repeated: {@code send <outbox directory> <recipient> <kvconnect URI>} (file consumer,
 * moving sent files to {@code .camel}, into the producer; the subject is the file name) and {@code receive <kvconnect URI> <received directory>} (consumer
 * storing each received file attachment as {@code <file name>@<hash of the Message-ID>}: a message delivered to the
 * route again after a crash overwrites its own file, a second copy of a file under another Message-ID shows as a
 * second file).
 */
public final class CrashChildMain {

    private CrashChildMain() {
    }

    public static void main(String[] args) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                int i = 0;
                while (i < args.length) {
                    if (args[i].equals("send")) {
                        from("file:" + args[i + 1] + "?initialDelay=0&delay=20&maxMessagesPerPoll=10")
                                .setHeader(KvConnectConstants.TO, constant(args[i + 2]))
                                // the file name in clear: the test checks every file's message without decrypting
                                .setHeader(KvConnectConstants.SUBJECT, header(Exchange.FILE_NAME_ONLY))
                                .to(args[i + 3]);
                        i += 4;
                    } else if (args[i].equals("receive")) {
                        Path received = Path.of(args[i + 2]);
                        from(args[i + 1]).process(e -> store(e, received));
                        i += 3;
                    } else {
                        throw new IllegalArgumentException("unknown route " + args[i]);
                    }
                }
            }
        });
        context.start();
        System.out.println("child started");
        Thread.currentThread().join();
    }

    private static void store(Exchange exchange, Path received) throws Exception {
        String messageId = exchange.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        String idHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(messageId.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        Files.createDirectories(received);
        for (Map.Entry<String, DataHandler> a : am.getAttachments().entrySet()) {
            Path tmp = Files.createTempFile(received, ".in-", ".tmp");
            try (InputStream in = a.getValue().getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, received.resolve(a.getKey() + "@" + idHash), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
