package io.github.camelkvconnect.springboot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import org.apache.camel.spring.boot.DataFormatConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import io.github.camelkvconnect.smime.SmimeProfile;

/**
 * Options of the {@code kvconnectSmime} data format (marshal = sign then encrypt, unmarshal = decrypt then verify)
 * under {@code camel.dataformat.kvconnect-smime.*}.
 * <p>
 * The own key and certificate come from a PIN-protected PKCS#12 keystore ({@code keystore-file},
 * {@code keystore-password}); marshal also needs a bean that finds the recipients' certificates
 * ({@code certificate-resolver}). {@code keystore-password} is a secret: masked in actuator output, never logged.
 * Unset options keep the data format's defaults. Validated at startup like the component's options.
 */
@ConfigurationProperties(prefix = "camel.dataformat.kvconnect-smime")
public class KvConnectSmimeDataFormatConfiguration extends DataFormatConfigurationPropertiesCommon implements Validator {

    private static final List<String> BODY_TYPES = List.of("MIME", "STREAM", "BYTES");

    /** The wire format written by marshal: KVCONNECT or KIM. Default: KVCONNECT. */
    private SmimeProfile profile;

    /** The comma-separated profiles unmarshal accepts. Default: the profile option. */
    private String acceptedProfiles;

    /**
     * The PKCS#12 keystore with the own private key and certificate chain: signs on marshal, decrypts on unmarshal.
     * The keys it kept when the certificate was renewed (previous-* entries) decrypt too, so mail encrypted to an
     * earlier certificate stays readable. Loaded again when the file's content changes (e.g. a renewed certificate
     * saved into it), without a restart; while a changed file does not open, marshal and unmarshal fail naming it.
     */
    private String keystoreFile;

    /** The PIN (password) of the keystore. Secret: masked in actuator output, never logged. */
    private String keystorePassword;

    /** The key entry to use. Default: the only key entry of the keystore. */
    private String keystoreAlias;

    /**
     * A bean (io.github.camelkvconnect.smime.CertificateResolver, e.g. #kvcCertificates) that finds the recipients'
     * encryption certificates; needed by marshal.
     */
    private String certificateResolver;

    /** A PEM file with the trusted CA certificates (signers on unmarshal, recipients on marshal). */
    private String trustAnchorsFile;

    /**
     * Comma-separated PEM or DER CRL files for marshal and unmarshal: a signer listed in a current CRL of its CA is
     * REVOKED; a revoked recipient or own certificate fails marshal (CertificateProblemsException naming the address,
     * nothing written). Only these files are consulted (no OCSP, no download). Read at start and again whenever a file
     * changed, without a restart; while a changed file cannot be read, marshal and unmarshal fail naming it
     * (revocation is never silently dropped).
     */
    private String crlFiles;

    /**
     * Unmarshal: the comma-separated addresses this mailbox receives at. A signed KIM inner mail whose signed
     * recipients name none of them is reported RECIPIENT_MISMATCH (surreptitious forwarding). Default none: not checked.
     */
    private String recipientAddresses;

    /**
     * The JCA provider for the RSA operations (signature and key wrap on marshal, key unwrap and PKCS#1 v1.5 signature
     * verification on unmarshal): default (the JVM's providers and Bouncy Castle), auto (the Amazon Corretto Crypto
     * Provider, ACCP, if it is on the class path and passes its self-test, else default), AmazonCorrettoCryptoProvider
     * (ACCP or the route does not start) or the name of a provider registered with java.security.Security. ACCP is not
     * included: add software.amazon.cryptools:AmazonCorrettoCryptoProvider with the classifier of the platform. The
     * wire formats do not change. An unknown name, or a provider that lacks an RSA service used (SHA256withRSA,
     * SHA384withRSA, SHA512withRSA, RSASSA-PSS, RSA/ECB/PKCS1Padding, RSA/ECB/OAEPPadding with SHA-256), stops the
     * application at startup naming the missing service. Default: default.
     */
    private String rsaProvider;

    /**
     * An ISO-8601 instant at which certificates are validated instead of now (archive checks). Never the signing time
     * the message claims.
     */
    private String validationTime;

    /** The directory for owner-only temporary files. Default: java.io.tmpdir. */
    private String workDirectory;

    /**
     * The unmarshal body: MIME (a file-backed jakarta.mail MimeMessage), STREAM (InputStream) or BYTES. Default: MIME.
     */
    private String bodyType;

    @Override
    public boolean supports(Class<?> type) {
        return KvConnectSmimeDataFormatConfiguration.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        KvConnectSmimeDataFormatConfiguration p = (KvConnectSmimeDataFormatConfiguration) target;
        if ((p.keystoreFile == null) != (p.keystorePassword == null)) {
            errors.reject("kvconnectSmime.keystore",
                    "camel.dataformat.kvconnect-smime.keystore-file and keystore-password (the PIN) belong together: "
                    + "set both");
        }
        if (p.keystoreFile != null && !later(p.keystoreFile) && !Files.isReadable(Path.of(p.keystoreFile.strip()))) {
            errors.rejectValue("keystoreFile", "kvconnectSmime.file", "does not exist or is not readable");
        }
        if (p.trustAnchorsFile != null && !later(p.trustAnchorsFile) && !Files.isReadable(Path.of(p.trustAnchorsFile.strip()))) {
            errors.rejectValue("trustAnchorsFile", "kvconnectSmime.file", "does not exist or is not readable");
        }
        KvConnectPropertiesValidator.crlFiles(p.crlFiles, "kvconnectSmime.file", "", errors);
        if (p.acceptedProfiles != null && !later(p.acceptedProfiles)) {
            for (String profile : p.acceptedProfiles.split(",")) {
                try {
                    SmimeProfile.valueOf(profile.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.rejectValue("acceptedProfiles", "kvconnectSmime.profile",
                            "must be a comma-separated list of KVCONNECT and KIM");
                    break;
                }
            }
        }
        if (p.validationTime != null && !p.validationTime.isBlank() && !later(p.validationTime)) {
            try {
                Instant.parse(p.validationTime.strip());
            } catch (DateTimeParseException e) {
                errors.rejectValue("validationTime", "kvconnectSmime.instant",
                        "must be an ISO-8601 instant such as 2018-09-28T11:25:29Z");
            }
        }
        if (p.bodyType != null && !later(p.bodyType) && !BODY_TYPES.contains(p.bodyType.strip().toUpperCase(Locale.ROOT))) {
            errors.rejectValue("bodyType", "kvconnectSmime.bodyType", "must be MIME, STREAM or BYTES");
        }
        KvConnectPropertiesValidator.rsaProvider(p.rsaProvider, errors);
    }

    /** Camel property placeholders are resolved when the data format is configured; checked then. */
    private static boolean later(String value) {
        return KvConnectPropertiesValidator.resolvedLater(value);
    }

    /** Never shows the PIN. */
    @Override
    public String toString() {
        return "KvConnectSmimeDataFormatConfiguration[keystoreFile=" + keystoreFile + ", profile=" + profile + "]";
    }

    public SmimeProfile getProfile() {
        return profile;
    }

    public void setProfile(SmimeProfile profile) {
        this.profile = profile;
    }

    public String getAcceptedProfiles() {
        return acceptedProfiles;
    }

    public void setAcceptedProfiles(String acceptedProfiles) {
        this.acceptedProfiles = acceptedProfiles;
    }

    public String getKeystoreFile() {
        return keystoreFile;
    }

    public void setKeystoreFile(String keystoreFile) {
        this.keystoreFile = keystoreFile;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public String getKeystoreAlias() {
        return keystoreAlias;
    }

    public void setKeystoreAlias(String keystoreAlias) {
        this.keystoreAlias = keystoreAlias;
    }

    public String getCertificateResolver() {
        return certificateResolver;
    }

    public void setCertificateResolver(String certificateResolver) {
        this.certificateResolver = certificateResolver;
    }

    public String getTrustAnchorsFile() {
        return trustAnchorsFile;
    }

    public void setTrustAnchorsFile(String trustAnchorsFile) {
        this.trustAnchorsFile = trustAnchorsFile;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public String getRecipientAddresses() {
        return recipientAddresses;
    }

    public void setRecipientAddresses(String recipientAddresses) {
        this.recipientAddresses = recipientAddresses;
    }

    public String getRsaProvider() {
        return rsaProvider;
    }

    public void setRsaProvider(String rsaProvider) {
        this.rsaProvider = rsaProvider;
    }

    public String getValidationTime() {
        return validationTime;
    }

    public void setValidationTime(String validationTime) {
        this.validationTime = validationTime;
    }

    public String getWorkDirectory() {
        return workDirectory;
    }

    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }

    public String getBodyType() {
        return bodyType;
    }

    public void setBodyType(String bodyType) {
        this.bodyType = bodyType;
    }
}
