package io.github.camelkvconnect.component;

import org.apache.camel.spi.Metadata;

/**
 * Exchange header names of the {@code kvconnect} component. Consumer headers are set from the received message;
 * producer headers describe the message to send or the operation's parameters.
 */
public final class KvConnectConstants {

    @Metadata(description = "The Message-ID of the received message, or (producer) the Message-ID the message was sent "
                            + "under; set before the message is posted, so a failed exchange carries the Message-ID it "
                            + "tried. Never read by the producer: a received exchange routed to a producer does not send "
                            + "under the received id.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelKvConnectMessageId";
    @Metadata(label = "producer",
              description = "send: the idempotency key of the message. The same key (with the same recipients) is sent "
                            + "once: its Message-ID is derived from the account, the key and the recipients and recorded "
                            + "in the send ledger before the POST, so a retry after a crash, timeout or lost answer posts "
                            + "the same Message-ID, and a key recorded as sent is not posted again. Default for file "
                            + "bodies: the file name and the SHA-256 of its content; other bodies without a key get a "
                            + "random Message-ID and are not retry-safe.",
              javaType = "String")
    public static final String IDEMPOTENCY_KEY = "CamelKvConnectIdempotencyKey";
    @Metadata(label = "producer",
              description = "send: the Message-ID to send under, chosen by the route (a strict RFC 5322 msg-id such as "
                            + "<rechnung-4711@praxis.example>, unique per message). It is also the idempotency key if "
                            + "CamelKvConnectIdempotencyKey is not set: a Message-ID recorded as sent is not posted again.",
              javaType = "String")
    public static final String OUTGOING_MESSAGE_ID = "CamelKvConnectOutgoingMessageId";
    @Metadata(description = "The sender address (From).", javaType = "String")
    public static final String FROM = "CamelKvConnectFrom";
    @Metadata(description = "The recipient addresses (To), comma-separated. Producer: required for send.",
              javaType = "String")
    public static final String TO = "CamelKvConnectTo";
    @Metadata(description = "The copy recipient addresses (Cc), comma-separated.", javaType = "String")
    public static final String CC = "CamelKvConnectCc";
    @Metadata(description = "The subject.", javaType = "String")
    public static final String SUBJECT = "CamelKvConnectSubject";
    @Metadata(label = "consumer", description = "The Date header of the received message.", javaType = "String")
    public static final String DATE = "CamelKvConnectDate";
    @Metadata(description = "The Message-ID this message answers (In-Reply-To).", javaType = "String")
    public static final String IN_REPLY_TO = "CamelKvConnectInReplyTo";
    @Metadata(description = "The service identifier (X-KVC-Dienstkennung), e.g. 1ClickAbrechnung;Lieferung;V2.0.",
              javaType = "String")
    public static final String DIENSTKENNUNG = "CamelKvConnectDienstkennung";
    @Metadata(description = "The sending system (X-KVC-Sendersystem), e.g. camel-kvconnect;0.1.0.", javaType = "String")
    public static final String SENDERSYSTEM = "CamelKvConnectSendersystem";
    @Metadata(description = "The address that asks for an Eingangsbestaetigung (receipt notification, MDN).",
              javaType = "String")
    public static final String DISPOSITION_NOTIFICATION_TO = "CamelKvConnectDispositionNotificationTo";
    @Metadata(label = "consumer",
              description = "The result of the signature check: VALID or the reason it failed, the worst over all layers "
                            + "of the message (see CamelKvConnectSignatureLayers). From the worst to the best: BAD_SIGNATURE, "
                            + "REVOKED (listed in a CRL of crlFiles), SIGNER_ADDRESS_MISMATCH, RECIPIENT_MISMATCH, "
                            + "UNTRUSTED_CHAIN, UNSIGNED, UNENCRYPTED_PART, HEADER_MISMATCH, INCOMPLETE_CHAIN, "
                            + "WRONG_KEY_USAGE, NOT_YET_VALID, EXPIRED, VALID. The detail and signer headers describe the "
                            + "same layer.",
              javaType = "String")
    public static final String SIGNATURE_STATUS = "CamelKvConnectSignatureStatus";
    @Metadata(label = "consumer",
              description = "The signature status of every layer of the message, outermost first, as a list of status "
                            + "names: one per encryption layer (two for a message a gateway wrapped into its own, e.g. "
                            + "[EXPIRED, BAD_SIGNATURE]). CamelKvConnectSignatureStatus is the worst of them.",
              javaType = "java.util.List<String>")
    public static final String SIGNATURE_LAYERS = "CamelKvConnectSignatureLayers";
    @Metadata(label = "consumer", description = "Whether the signature is valid.", javaType = "Boolean")
    public static final String SIGNATURE_VALID = "CamelKvConnectSignatureValid";
    @Metadata(label = "consumer", description = "A description of the signature problem, if any.", javaType = "String")
    public static final String SIGNATURE_DETAIL = "CamelKvConnectSignatureDetail";
    @Metadata(label = "consumer", description = "The e-mail address in the signer's certificate.", javaType = "String")
    public static final String SIGNER_ADDRESS = "CamelKvConnectSignerAddress";
    @Metadata(label = "consumer", description = "The signer's certificate.",
              javaType = "java.security.cert.X509Certificate")
    public static final String SIGNER_CERTIFICATE = "CamelKvConnectSignerCertificate";
    @Metadata(label = "consumer",
              description = "The raw S/MIME transport message as received from the server (only with includeRawMessage=true): "
                            + "the file it was downloaded to, readable until the exchange completes (then deleted). "
                            + "Convert it within the route (to a byte array or an InputStream) or copy the file.",
              javaType = "java.nio.file.Path")
    public static final String RAW_MESSAGE = "CamelKvConnectRawMessage";
    @Metadata(label = "consumer",
              description = "The first inline text/plain part of the received message as text (the body is the whole "
                            + "MIME entity; all other parts are Camel attachments).",
              javaType = "String")
    public static final String TEXT = "CamelKvConnectText";
    @Metadata(label = "consumer",
              description = "true if the message text was longer than maxTextHeaderSize and CamelKvConnectText holds only "
                            + "its beginning; the whole text is then the attachment message-text.txt.",
              javaType = "Boolean")
    public static final String TEXT_TRUNCATED = "CamelKvConnectTextTruncated";
    @Metadata(label = "consumer",
              description = "What becomes of the Eingangsbestaetigung (receipt notification, MDN) of the received message: "
                            + "not-requested (no Disposition-Notification-To), disabled (sendMdn=false), refused (the "
                            + "signature did not verify, or the sender address is unusable), requested (seen by the route: "
                            + "it is recorded and sent when the exchange completes successfully). After the exchange "
                            + "completed (onCompletion, event notifiers): sent, or pending (recorded in the account's state "
                            + "directory and sent again on later polls until the server accepts it).",
              javaType = "String", enums = "not-requested,disabled,refused,requested,pending,sent")
    public static final String RECEIPT_STATE = "CamelKvConnectReceiptState";
    @Metadata(label = "consumer", description = "The account address the message was received for.", javaType = "String")
    public static final String ACCOUNT = "CamelKvConnectAccount";
    @Metadata(label = "consumer",
              description = "Set to true on the one failed exchange the consumer hands to the error handler when a "
                            + "message is quarantined after quarantineAfterAttempts failed attempts to read it: it stays "
                            + "on the server and is no longer fetched until released (see the failure ledger).",
              javaType = "Boolean")
    public static final String QUARANTINED = "CamelKvConnectQuarantined";
    @Metadata(label = "producer", description = "Overrides the endpoint's operation for this exchange.",
              javaType = "io.github.camelkvconnect.component.KvConnectOperation")
    public static final String OPERATION = "CamelKvConnectOperation";
    @Metadata(label = "producer", description = "searchDirectory: (part of) the surname to search for.",
              javaType = "String")
    public static final String SEARCH_NAME = "CamelKvConnectSearchName";
    @Metadata(label = "producer", description = "searchDirectory: (part of) the city (l) to search for.",
              javaType = "String")
    public static final String SEARCH_CITY = "CamelKvConnectSearchCity";
    @Metadata(label = "producer", description = "searchDirectory: the exact e-mail address to search for.",
              javaType = "String")
    public static final String SEARCH_MAIL = "CamelKvConnectSearchMail";
    @Metadata(label = "producer", description = "getCertificate: the address whose certificate is wanted "
                                                + "(default: the endpoint's own address).",
              javaType = "String")
    public static final String CERTIFICATE_ADDRESS = "CamelKvConnectCertificateAddress";
    @Metadata(label = "producer",
              description = "requestCertificate: the id of the certificate signing request on the server (set after the "
                            + "request).",
              javaType = "String")
    public static final String CSR_ID = "CamelKvConnectCsrId";
    @Metadata(label = "producer",
              description = "requestCertificate: whether a new certificate was requested (false if the current one is "
                            + "valid for longer than renewBeforeDays).",
              javaType = "Boolean")
    public static final String CERTIFICATE_RENEWED = "CamelKvConnectCertificateRenewed";

    private KvConnectConstants() {
    }
}
