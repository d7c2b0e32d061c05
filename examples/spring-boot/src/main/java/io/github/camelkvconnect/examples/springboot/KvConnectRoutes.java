package io.github.camelkvconnect.examples.springboot;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.rest.KvConnectRestException;

/**
 * The three routes of the example. The account options are not in any URI: the starter sets them on the component
 * from {@code camel.component.kvconnect.*}.
 * <ul>
 * <li><b>inbox</b>: every new message of the account, decrypted and verified, becomes a folder
 * {@code <inbox>/<message-id>/}; the message is deleted on the server only after the folder is complete.</li>
 * <li><b>outbox</b>: a file dropped into {@code <outbox>/<recipient address>/} (or into {@code <outbox>/} when a
 * default recipient is configured) is signed, encrypted and sent, then moved to {@code .sent/}; a file that cannot be
 * sent is moved to {@code .failed/} and nothing is sent.</li>
 * <li><b>certificate</b>: at startup and then daily, requests the account's certificate when there is none or it
 * expires soon, and stores key and certificate in the keystore.</li>
 * </ul>
 */
@Component
public class KvConnectRoutes extends RouteBuilder {

    /** The header with the folder a received message was stored in. */
    static final String INBOX_FOLDER = "KvConnectInboxFolder";

    @Override
    public void configure() {
        String account = "kvconnect:{{kvconnect-example.address}}";

        InboxFolder inbox = new InboxFolder(
                Path.of(getContext().resolvePropertyPlaceholders("{{kvconnect-example.inbox}}")));
        from(account + "?delay={{kvconnect-example.poll-delay}}")
                .routeId("kvconnect-inbox")
                .process(exchange -> exchange.getMessage().setHeader(INBOX_FOLDER, inbox.store(exchange).toString()))
                .log("Received ${header.CamelKvConnectMessageId} from ${header.CamelKvConnectFrom} "
                     + "(signature ${header.CamelKvConnectSignatureStatus}) into ${header.KvConnectInboxFolder}");

        OutboxAddressing addressing = new OutboxAddressing(
                getContext().resolvePropertyPlaceholders("{{kvconnect-example.default-recipient}}"),
                getContext().resolvePropertyPlaceholders("{{kvconnect-example.dienstkennung}}"));
        // readLock=changed: a file is taken only once its size and time stamp stopped changing (still being copied)
        from("file:{{kvconnect-example.outbox}}?recursive=true&maxDepth=2"
             + "&readLock=changed&readLockMinAge=1000&readLockCheckInterval=250"
             + "&move=.sent&moveFailed=.failed")
                .routeId("kvconnect-outbox")
                // a server that is down or overloaded gets a few more tries before the file goes to .failed
                .onException(KvConnectRestException.class)
                    .onWhen(exchange -> exchange.getException(KvConnectRestException.class).isTransient())
                    .maximumRedeliveries(3).redeliveryDelay(2000).useExponentialBackOff()
                .end()
                // the file consumer's body goes as it is: the component sends the file as an attachment with its
                // name, streamed from disk
                .process(addressing)
                .setHeader(KvConnectConstants.SUBJECT, simple("${file:onlyname}"))
                .to(account)
                .log("Sent ${file:name} to ${header.CamelKvConnectTo} as ${header.CamelKvConnectMessageId}");

        from("timer:kvconnect-certificate?delay=0&period={{kvconnect-example.certificate-check-period}}")
                .routeId("kvconnect-certificate")
                .autoStartup("{{kvconnect-example.request-certificate}}")
                .to(account + "?operation=requestCertificate")
                .filter(header(KvConnectConstants.CERTIFICATE_RENEWED))
                    // read in Java: the JDK's certificate class is not open to Camel's bean reflection
                    .process(exchange -> exchange.getMessage().setHeader("KvConnectCertificateNotAfter",
                            exchange.getMessage().getBody(X509Certificate.class).getNotAfter().toInstant()))
                    .log("New KV-Connect certificate stored in the keystore, valid until "
                         + "${header.KvConnectCertificateNotAfter}");
    }

    /** Sets recipient and Dienstkennung of an outbox file. */
    static final class OutboxAddressing implements org.apache.camel.Processor {

        private final String defaultRecipient;
        private final String dienstkennung;

        OutboxAddressing(String defaultRecipient, String dienstkennung) {
            this.defaultRecipient = defaultRecipient == null ? "" : defaultRecipient.strip();
            this.dienstkennung = dienstkennung == null ? "" : dienstkennung.strip();
        }

        @Override
        public void process(Exchange exchange) {
            Path relative = Path.of(exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class));
            String recipient = relative.getNameCount() > 1 ? relative.getName(0).toString() : defaultRecipient;
            if (recipient.isEmpty()) {
                throw new IllegalArgumentException("No recipient for " + relative + ": put the file into "
                                                   + "<outbox>/<recipient address>/ or set kvconnect-example.default-recipient");
            }
            exchange.getMessage().setHeader(KvConnectConstants.TO, recipient);
            if (!dienstkennung.isEmpty()) {
                exchange.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, dienstkennung);
            }
        }
    }
}
