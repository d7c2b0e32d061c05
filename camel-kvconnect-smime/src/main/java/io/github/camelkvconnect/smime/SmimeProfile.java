package io.github.camelkvconnect.smime;

/** The S/MIME wire formats this module speaks. */
public enum SmimeProfile {
    /**
     * KV-Connect (domain reference §6): clear-signed {@code multipart/signed} (SHA256withRSA), EnvelopedData with
     * AES-256-CBC and RSA PKCS#1 v1.5 key transport for every recipient and the sender.
     */
    KVCONNECT(AlgorithmPolicy.kvConnect()),
    /**
     * KIM / KOM-LE (domain reference §12): {@code message/rfc822}-wrapped mail, opaque SignedData with RSASSA-PSS,
     * AuthEnvelopedData with AES-256-GCM and RSAES-OAEP (SHA-256), recipient-emails attribute. With the ECC keys of
     * newer TI cards (brainpoolP256r1): ECDSA-SHA256 signatures and ECDH KeyAgreeRecipientInfos (X9.63 KDF SHA-256,
     * AES-256 key wrap) for EC certificates, next to OAEP for RSA ones.
     */
    KIM(AlgorithmPolicy.kim());

    private final AlgorithmPolicy defaultPolicy;

    SmimeProfile(AlgorithmPolicy defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    /** The algorithms this profile accepts unless the reader is configured otherwise. */
    public AlgorithmPolicy defaultPolicy() {
        return defaultPolicy;
    }
}
