package io.github.camelkvconnect.smime;

/**
 * The JCA provider chosen for the RSA operations ({@code rsaProvider}) is registered but does not offer an RSA service
 * the writer or the reader requests from it, by the name and with the parameters they use (for example the provider
 * {@code SUN}, which has no RSA at all). Raised when a writer or reader is built and when the option is resolved, i.e.
 * when the endpoint or data format starts, never on the first message. A configuration error: choose another provider,
 * or {@code default}. The message names the provider and the missing service; it holds no key material (the check uses
 * a fixed public key only).
 */
public class UnsuitableRsaProviderException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String providerName;
    private final String missingService;

    public UnsuitableRsaProviderException(String providerName, String missingService, String message, Throwable cause) {
        super(message, cause);
        this.providerName = providerName;
        this.missingService = missingService;
    }

    /** The name of the provider, as {@link java.security.Provider#getName()} reports it. */
    public String providerName() {
        return providerName;
    }

    /** The first missing service as JCA type and algorithm, e.g. {@code Cipher RSA/ECB/OAEPPadding}. */
    public String missingService() {
        return missingService;
    }
}
