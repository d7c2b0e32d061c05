package io.github.camelkvconnect.springboot;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

import org.springframework.validation.Errors;

import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.smime.Crls;
import io.github.camelkvconnect.smime.RsaProviders;
import io.github.camelkvconnect.smime.UnsuitableRsaProviderException;

/**
 * Checks {@code camel.component.kvconnect.*} when Spring Boot binds it, so that a wrong value stops the application at
 * startup naming the property and the fix. The checks are the ones the endpoint would make when it starts (https only,
 * KVCONNECT profile, ISO instant), plus what can only be a mistake (an unreadable trust anchor file, a password
 * without user name).
 * <p>
 * Secret values are never rejected as field values: Spring Boot's failure report prints a rejected value, so problems
 * with secrets are reported as global errors that only name the properties. Values with Camel property placeholders
 * ({@code {{vault:...}}}) are resolved only when Camel configures the component; the endpoint checks them when it
 * starts.
 */
final class KvConnectPropertiesValidator {

    private static final Set<Integer> KEY_SIZES = Set.of(2048, 3072, 4096);

    private final KvConnectComponentConfiguration p;
    private final Errors errors;

    KvConnectPropertiesValidator(KvConnectComponentConfiguration properties, Errors errors) {
        this.p = properties;
        this.errors = errors;
    }

    void validate() {
        serverUrl();
        profile();
        pairs();
        trustAnchors("tlsTrustAnchors", p.getTlsTrustAnchors());
        trustAnchors("smimeTrustAnchors", p.getSmimeTrustAnchors());
        readableFile("truststoreFile", p.getTruststoreFile());
        crlFiles(p.getCrlFiles(), "kvconnect.file", " (comma-separated list of PEM or DER CRL files)", errors);
        validationTime();
        ldapUrl();
        rsaProvider(p.getRsaProvider(), errors);
        if (p.getKeySize() != null && !KEY_SIZES.contains(p.getKeySize())) {
            errors.rejectValue("keySize", "kvconnect.keySize", "must be 2048, 3072 or 4096 (RSA key size)");
        }
        positive("connectTimeout", p.getConnectTimeout(), true);
        positive("readTimeout", p.getReadTimeout(), true);
        positive("failureBackoff", p.getFailureBackoff(), false);
        positive("failureBackoffMax", p.getFailureBackoffMax(), false);
        positive("receiptRetryBackoff", p.getReceiptRetryBackoff(), false);
        positive("receiptRetryBackoffMax", p.getReceiptRetryBackoffMax(), false);
        positive("csrPollInterval", p.getCsrPollInterval(), false);
        positive("csrTimeout", p.getCsrTimeout(), false);
        if (p.getCertificateCacheTtl() != null && p.getCertificateCacheTtl().isNegative()) {
            errors.rejectValue("certificateCacheTtl", "kvconnect.negative", "must not be negative (0 disables the cache)");
        }
        if (p.getFailureBackoff() != null && p.getFailureBackoffMax() != null
            && p.getFailureBackoffMax().compareTo(p.getFailureBackoff()) < 0) {
            errors.rejectValue("failureBackoffMax", "kvconnect.backoff",
                    "must not be shorter than failure-backoff (" + p.getFailureBackoff() + ")");
        }
        if (p.getReceiptRetryBackoff() != null && p.getReceiptRetryBackoffMax() != null
            && p.getReceiptRetryBackoffMax().compareTo(p.getReceiptRetryBackoff()) < 0) {
            errors.rejectValue("receiptRetryBackoffMax", "kvconnect.backoff",
                    "must not be shorter than receipt-retry-backoff (" + p.getReceiptRetryBackoff() + ")");
        }
        notNegative("certificateExpiryWarningDays", p.getCertificateExpiryWarningDays());
        notNegative("quarantineAfterAttempts", p.getQuarantineAfterAttempts());
        if (p.getMaxTextHeaderSize() != null && p.getMaxTextHeaderSize() < 0) {
            errors.rejectValue("maxTextHeaderSize", "kvconnect.negative", "must not be negative");
        }
        if (p.getMaxMessageSize() != null && p.getMaxMessageSize().toBytes() < 1) {
            errors.rejectValue("maxMessageSize", "kvconnect.positive", "must be at least 1 byte");
        }
        notNegative("renewBeforeDays", p.getRenewBeforeDays());
        if (p.getDirectoryMaxResults() != null && p.getDirectoryMaxResults() < 1) {
            errors.rejectValue("directoryMaxResults", "kvconnect.positive", "must be at least 1");
        }
    }

    /** A value with a Camel property placeholder, resolved later by Camel and checked by the endpoint at start. */
    static boolean resolvedLater(String value) {
        return value != null && value.contains("{{");
    }

    private void serverUrl() {
        String value = p.getServerUrl();
        if (value == null || resolvedLater(value)) {
            return;
        }
        try {
            URI uri = new URI(value.strip());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                errors.rejectValue("serverUrl", "kvconnect.https",
                        "must be an https:// URL such as https://kvc.example:8443/kvconnect/rest/; KV-Connect credentials "
                        + "and messages never travel over plain HTTP");
            }
        } catch (URISyntaxException e) {
            errors.rejectValue("serverUrl", "kvconnect.url", "is not a valid URL: " + e.getReason());
        }
    }

    private void profile() {
        String value = p.getProfile();
        if (value != null && !resolvedLater(value)
                && !java.util.Set.of("KVCONNECT", "KIM").contains(value.strip().toUpperCase(Locale.ROOT))) {
            errors.rejectValue("profile", "kvconnect.profile", "must be KVCONNECT or KIM");
        }
    }

    /** Options that only work together. Reported without values: some of them are secrets. */
    private void pairs() {
        if ((p.getUsername() == null) != (p.getPassword() == null)) {
            errors.reject("kvconnect.credentials",
                    "camel.component.kvconnect.username and camel.component.kvconnect.password belong together: set "
                    + "both, or neither and give them in the endpoint URIs");
        }
        if (p.getKeystorePassword() != null && p.getKeystoreFile() == null) {
            errors.reject("kvconnect.keystore",
                    "camel.component.kvconnect.keystore-password is set but keystore-file is not: name the PKCS#12 "
                    + "keystore the PIN belongs to");
        }
        if (p.getTruststorePassword() != null && p.getTruststoreFile() == null) {
            errors.reject("kvconnect.truststore",
                    "camel.component.kvconnect.truststore-password is set but truststore-file is not");
        }
    }

    private void trustAnchors(String field, String value) {
        if (value == null || value.isBlank() || resolvedLater(value)) {
            return;
        }
        try {
            TrustAnchors.fromPem(value);
        } catch (IOException e) {
            errors.rejectValue(field, "kvconnect.anchors",
                    "must be PEM text or a comma-separated list of readable PEM files: " + e.getMessage());
        }
    }

    private void readableFile(String field, String value) {
        if (value != null && !resolvedLater(value) && !Files.isReadable(Path.of(value.strip()))) {
            errors.rejectValue(field, "kvconnect.file", "does not exist or is not readable");
        }
    }

    /**
     * Each file of the comma-separated crlFiles list must be readable (the endpoint or data format parses them when it
     * starts). Shared with the data format's properties, which pass their own error code and no hint.
     */
    static void crlFiles(String value, String errorCode, String hint, Errors errors) {
        if (value == null || resolvedLater(value)) {
            return;
        }
        try {
            for (Path file : Crls.paths(value)) {
                if (!Files.isReadable(file)) {
                    errors.rejectValue("crlFiles", errorCode, "the file " + file + " does not exist or is not readable"
                                                              + hint);
                    return;
                }
            }
        } catch (IllegalArgumentException e) {
            errors.rejectValue("crlFiles", errorCode, e.getMessage() + hint);
        }
    }

    private void validationTime() {
        String value = p.getValidationTime();
        if (value == null || value.isBlank() || resolvedLater(value)) {
            return;
        }
        try {
            Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.rejectValue("validationTime", "kvconnect.instant",
                    "must be an ISO-8601 instant such as 2018-09-28T11:25:29Z");
        }
    }

    /**
     * The provider must exist and offer the RSA services the writer and reader use (the same check the endpoint makes
     * at its start, {@link RsaProviders#resolve}): a registered provider without RSA, such as SUN, stops the
     * application here and not on the first message. Shared with the data format's properties.
     */
    static void rsaProvider(String value, Errors errors) {
        if (value == null || value.isBlank() || resolvedLater(value)) {
            return;
        }
        try {
            RsaProviders.resolve(value);
        } catch (UnsuitableRsaProviderException e) {
            errors.rejectValue("rsaProvider", "kvconnect.rsaProvider.unsuitable", "the provider " + e.providerName()
                    + " does not offer " + e.missingService() + ", which the RSA operations use; choose a provider that "
                    + "offers SHA256withRSA, SHA384withRSA, SHA512withRSA, RSASSA-PSS, RSA/ECB/PKCS1Padding and "
                    + "RSA/ECB/OAEPPadding (SHA-256), or default, auto or AmazonCorrettoCryptoProvider");
        } catch (IllegalArgumentException e) {
            errors.rejectValue("rsaProvider", "kvconnect.rsaProvider", e.getMessage());
        }
    }

    private void ldapUrl() {
        String value = p.getLdapUrl();
        if (value == null || resolvedLater(value)) {
            return;
        }
        String lower = value.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("ldaps://") && !lower.startsWith("ldap://")) {
            errors.rejectValue("ldapUrl", "kvconnect.ldap", "must be an ldaps:// URL (ldap:// only for local tests)");
        }
    }

    private void positive(String field, Duration value, boolean fitsInt) {
        if (value == null) {
            return;
        }
        if (value.isZero() || value.isNegative()) {
            errors.rejectValue(field, "kvconnect.positive", "must be longer than zero");
        } else if (fitsInt && value.toMillis() > Integer.MAX_VALUE) {
            errors.rejectValue(field, "kvconnect.range", "must be at most " + Integer.MAX_VALUE + " ms");
        }
    }

    private void notNegative(String field, Integer value) {
        if (value != null && value < 0) {
            errors.rejectValue(field, "kvconnect.negative", "must not be negative");
        }
    }
}
