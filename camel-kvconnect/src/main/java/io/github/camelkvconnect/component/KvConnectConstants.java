package io.github.camelkvconnect.component;

import org.apache.camel.spi.Metadata;

/**
 * Exchange header names of the {@code kvconnect} component. Consumer headers are set from the received message;
 * producer headers describe the message to send or the operation's parameters.
 */
public final class KvConnectConstants {

    @Metadata(description = "The Message-ID of the received message, or (producer) the Message-ID generated for the "
                            + "sent message.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelKvConnectMessageId";
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
              description = "The result of the signature check: VALID or the reason it failed (BAD_SIGNATURE, UNSIGNED, "
                            + "UNTRUSTED_CHAIN, INCOMPLETE_CHAIN, EXPIRED, REVOKED (listed in a CRL of crlFiles), NOT_YET_VALID, "
                            + "WRONG_KEY_USAGE, "
                            + "SIGNER_ADDRESS_MISMATCH, UNENCRYPTED_PART).",
              javaType = "String")
    public static final String SIGNATURE_STATUS = "CamelKvConnectSignatureStatus";
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
