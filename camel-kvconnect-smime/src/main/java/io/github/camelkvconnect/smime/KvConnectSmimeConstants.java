package io.github.camelkvconnect.smime;

import java.util.List;

/** Exchange headers read and written by the {@code kvconnectSmime} data format. */
public final class KvConnectSmimeConstants {

    /** Unmarshal: {@link VerificationStatus} name (VALID or the reason). */
    public static final String VERIFICATION_STATUS = "CamelKvConnectSmimeVerificationStatus";
    /** Unmarshal: human-readable verification detail (no secrets), absent when VALID. */
    public static final String VERIFICATION_DETAIL = "CamelKvConnectSmimeVerificationDetail";
    /** Unmarshal: e-mail address in the signer certificate. */
    public static final String SIGNER_ADDRESS = "CamelKvConnectSmimeSignerAddress";
    /** Unmarshal: the signer's {@link java.security.cert.X509Certificate}. */
    public static final String SIGNER_CERTIFICATE = "CamelKvConnectSmimeSignerCertificate";
    /** Unmarshal: number of encryption layers removed. */
    public static final String LAYER_COUNT = "CamelKvConnectSmimeLayerCount";
    /** Unmarshal: the {@link SmimeProfile} of the message. */
    public static final String PROFILE = "CamelKvConnectSmimeProfile";

    /**
     * Routing headers: marshal writes these exchange headers (if set) in clear on the transport message; unmarshal sets
     * them from the message (inner values win over outer ones). {@code X-KVC-*} and {@code X-KIM-*} headers travel too.
     */
    public static final List<String> ROUTING_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "Disposition-Notification-To", "Return-Path", "Reply-To", "Sender", "X-KVC-Dienstkennung",
            "X-KVC-Sendersystem");

    private KvConnectSmimeConstants() {
    }
}
