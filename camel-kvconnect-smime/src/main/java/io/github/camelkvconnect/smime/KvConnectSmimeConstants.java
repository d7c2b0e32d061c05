package io.github.camelkvconnect.smime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exchange headers read and written by the {@code kvconnectSmime} data format. */
public final class KvConnectSmimeConstants {

    /**
     * Unmarshal: {@link VerificationStatus} name (VALID or the reason): the worst over all layers of the message (see
     * {@link #VERIFICATION_LAYERS}); detail, signer address and certificate are those of that layer.
     */
    public static final String VERIFICATION_STATUS = "CamelKvConnectSmimeVerificationStatus";
    /** Unmarshal: human-readable verification detail (no secrets), absent when VALID. */
    public static final String VERIFICATION_DETAIL = "CamelKvConnectSmimeVerificationDetail";
    /**
     * Unmarshal: the verification status of every layer, outermost first, as a {@code List<String>} of
     * {@link VerificationStatus} names (one per encryption layer, e.g. {@code [EXPIRED, BAD_SIGNATURE]} for a gateway's
     * expired outer signature around a broken inner one); {@link #VERIFICATION_STATUS} is the worst of them.
     */
    public static final String VERIFICATION_LAYERS = "CamelKvConnectSmimeVerificationLayers";
    /** Unmarshal: e-mail address in the signer certificate. */
    public static final String SIGNER_ADDRESS = "CamelKvConnectSmimeSignerAddress";
    /** Unmarshal: the signer's {@link java.security.cert.X509Certificate}. */
    public static final String SIGNER_CERTIFICATE = "CamelKvConnectSmimeSignerCertificate";
    /** Unmarshal: number of encryption layers removed. */
    public static final String LAYER_COUNT = "CamelKvConnectSmimeLayerCount";
    /** Unmarshal: the {@link SmimeProfile} of the message. */
    public static final String PROFILE = "CamelKvConnectSmimeProfile";

    /** Unmarshal: the message's From (never set as {@code From}: see {@link #INBOUND_HEADERS}). */
    public static final String FROM = "CamelKvConnectSmimeFrom";
    /** Unmarshal: the message's To. */
    public static final String TO = "CamelKvConnectSmimeTo";
    /** Unmarshal: the message's Cc. */
    public static final String CC = "CamelKvConnectSmimeCc";
    /** Unmarshal: the message's Subject. */
    public static final String SUBJECT = "CamelKvConnectSmimeSubject";
    /** Unmarshal: the message's Date. */
    public static final String DATE = "CamelKvConnectSmimeDate";
    /** Unmarshal: the message's Message-ID. */
    public static final String MESSAGE_ID = "CamelKvConnectSmimeMessageId";
    /** Unmarshal: the message's In-Reply-To. */
    public static final String IN_REPLY_TO = "CamelKvConnectSmimeInReplyTo";
    /** Unmarshal: the message's Disposition-Notification-To (request for an Eingangsbestätigung, i.e. an MDN). */
    public static final String DISPOSITION_NOTIFICATION_TO = "CamelKvConnectSmimeDispositionNotificationTo";
    /** Unmarshal: the message's Return-Path. */
    public static final String RETURN_PATH = "CamelKvConnectSmimeReturnPath";
    /** Unmarshal: the message's Reply-To. */
    public static final String REPLY_TO = "CamelKvConnectSmimeReplyTo";
    /** Unmarshal: the message's Sender. */
    public static final String SENDER = "CamelKvConnectSmimeSender";

    /**
     * Routing headers <b>marshal</b> reads from the exchange headers of these (plain MIME) names, if set, and writes in
     * clear on the transport message. {@code X-KVC-*} and {@code X-KIM-*} headers travel too. Unmarshal never sets
     * exchange headers of these names: see {@link #INBOUND_HEADERS}.
     */
    public static final List<String> ROUTING_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "Disposition-Notification-To", "Return-Path", "Reply-To", "Sender", "X-KVC-Dienstkennung",
            "X-KVC-Sendersystem");

    /**
     * <b>Unmarshal</b>: MIME header of the received message → the exchange header it is copied to (inner values win
     * over outer ones). The address headers are prefixed on purpose: {@code To}, {@code Cc}, {@code From},
     * {@code Reply-To}, {@code Sender}, {@code Return-Path} are control headers of the camel-mail producer, and a
     * received message is unauthenticated input, so under their own names a route such as pop3 → unmarshal → smtp would
     * mail the decrypted content to whoever the message names. {@code X-KVC-*}, {@code X-KIM-*} and
     * {@code X-KOM-LE-Version} keep their names.
     */
    public static final Map<String, String> INBOUND_HEADERS = inbound();

    private static Map<String, String> inbound() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("From", FROM);
        m.put("To", TO);
        m.put("Cc", CC);
        m.put("Subject", SUBJECT);
        m.put("Date", DATE);
        m.put("Message-ID", MESSAGE_ID);
        m.put("In-Reply-To", IN_REPLY_TO);
        m.put("Disposition-Notification-To", DISPOSITION_NOTIFICATION_TO);
        m.put("Return-Path", RETURN_PATH);
        m.put("Reply-To", REPLY_TO);
        m.put("Sender", SENDER);
        m.put("X-KVC-Dienstkennung", "X-KVC-Dienstkennung");
        m.put("X-KVC-Sendersystem", "X-KVC-Sendersystem");
        return Collections.unmodifiableMap(m);
    }

    private KvConnectSmimeConstants() {
    }
}
