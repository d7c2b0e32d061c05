package io.github.camelkvconnect.smime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.spi.annotations.Dataformat;
import org.apache.camel.support.service.ServiceSupport;

import io.github.camelkvconnect.smime.keys.KeyStoreAccessException;
import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * Camel data format {@code kvconnectSmime}: marshal = sign then encrypt (body: the business MIME entity as
 * {@link Part}, {@code File}, {@code InputStream}, {@code byte[]} or {@code String}; routing headers from the exchange
 * headers named in {@link KvConnectSmimeConstants#ROUTING_HEADERS}), unmarshal = decrypt then verify (body: the
 * business entity; headers: verification result and the message's routing headers under the
 * {@code CamelKvConnectSmime*} names of {@link KvConnectSmimeConstants#INBOUND_HEADERS}).
 * <p>
 * Options: {@code profile} (KVCONNECT|KIM, marshal), {@code acceptedProfiles} (comma list, unmarshal; default the
 * profile), {@code credentials} (SmimeCredentials, both), {@code previousCredentials} (keys of earlier certificates,
 * unmarshal; {@link #useKeystore} sets both from a keystore, loaded again when the file changes), {@code certificateResolver} (marshal), {@code trustAnchors}
 * (list of X509Certificate) or {@code trustAnchorsFile} (PEM path), {@code crlFiles} (comma list of PEM/DER CRL files,
 * both: marshal refuses a revoked recipient or own certificate, unmarshal reports a revoked signer as REVOKED; re-read
 * when a file changes), {@code validationTime} (ISO instant, unmarshal;
 * default now), {@code workDirectory} (temp files; default java.io.tmpdir), {@code bodyType} (MIME|STREAM|BYTES,
 * unmarshal; default MIME), {@code limits} (SmimeLimits), {@code rsaProvider} (JCA provider for the RSA operations:
 * {@code default}, {@code auto} = the Amazon Corretto Crypto Provider when it is on the class path and healthy, or a
 * provider name; see {@link RsaProviders#resolve(String)}).
 * <p>
 * Inbound MIME headers never become Camel control headers: only routing headers (under prefixed names, since
 * {@code To}, {@code From}, {@code Reply-To} etc. steer the camel-mail producer), {@code X-KVC-*} and {@code X-KIM-*}
 * are copied, and never names starting with {@code Camel}, {@code org.apache.camel.} or {@code mail.}.
 */
@Dataformat("kvconnectSmime")
public class KvConnectSmimeDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private SmimeProfile profile = SmimeProfile.KVCONNECT;
    private String acceptedProfiles;
    // volatile: with a keystore, ownKeys() updates them on a message thread when the file changed
    private volatile SmimeCredentials credentials;
    private volatile List<SmimeCredentials> previousCredentials = List.of();
    private CertificateResolver certificateResolver;
    private List<X509Certificate> trustAnchors;
    private String trustAnchorsFile;
    private String crlFiles;
    private String recipientAddresses;
    private String validationTime;
    private String workDirectory;
    private String bodyType = "MIME";
    private SmimeLimits limits = SmimeLimits.defaults();
    private String rsaProvider = RsaProviders.DEFAULT;

    /** Set by useKeystore: own keys from a keystore file, reloaded on change (instead of credentials as set). */
    private volatile KeystoreKeys keystoreKeys;
    /** credentials and previousCredentials as set (without a keystore). */
    private volatile KeystoreKeys.OwnKeys configuredKeys = new KeystoreKeys.OwnKeys(null, List.of());

    private volatile CurrentWriter writer;
    private volatile CurrentReader reader;
    private volatile CrlFiles crlLists;
    /** Paths accepted by PKIX, kept across readers (one per CRL version) and restarts; keyed by the anchors. */
    private final CertificatePathCache certificatePaths = new CertificatePathCache();

    /** The reader and the CRLs and keys it was built with: a changed CRL file or keystore means a new reader. */
    private record CurrentReader(SmimeReader reader, List<X509CRL> crls, KeystoreKeys.OwnKeys keys) {
    }

    /** The writer and the CRLs and key it was built with: a changed CRL file or keystore means a new writer. */
    private record CurrentWriter(SmimeWriter writer, List<X509CRL> crls, KeystoreKeys.OwnKeys keys) {
    }

    @Override
    public String getDataFormatName() {
        return "kvconnectSmime";
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        Map<String, String> routing = new LinkedHashMap<>();
        for (String name : KvConnectSmimeConstants.ROUTING_HEADERS) {
            String value = exchange.getIn().getHeader(name, String.class);
            if (value != null) {
                routing.put(name, value);
            }
        }
        exchange.getIn().getHeaders().forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("x-kvc-") || lower.startsWith("x-kim-")) && v != null && !routing.containsKey(k)) {
                routing.put(k, v.toString());
            }
        });
        // writer first: unusable CRL files fail before the body is spooled
        SmimeWriter w = writer();
        Path spooled = null;
        EntityFileStream source = null;
        try {
            Part entity;
            if (graph instanceof Part p) {
                entity = p;
            } else if (graph instanceof File f) {
                source = new EntityFileStream(f);
                entity = new MimeBodyPart(source);
            } else if (graph instanceof Path path) {
                source = new EntityFileStream(path.toFile());
                entity = new MimeBodyPart(source);
            } else {
                // spool to an owner-only file so large bodies are never held in memory while parsing
                spooled = TempFiles.create(workDirectoryPath(), "marshal-");
                try (InputStream in = exchange.getContext().getTypeConverter().mandatoryConvertTo(InputStream.class,
                        exchange, graph)) {
                    Files.copy(in, spooled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                source = new EntityFileStream(spooled.toFile());
                entity = new MimeBodyPart(source);
            }
            w.write(entity, routing, stream);
        } finally {
            if (source != null) {
                // closes the file for all the sub-streams Jakarta Mail made (else it stays open until a GC)
                source.closeFile();
            }
            TempFiles.deleteQuietly(spooled);
        }
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        DecryptedMessage message = reader().read(stream);
        boolean handedOver = false;
        try {
            VerificationResult v = message.verification();
            // the unmarshal processor has already prepared the outgoing message: set the headers there
            var in = exchange.getMessage();
            in.setHeader(KvConnectSmimeConstants.VERIFICATION_STATUS, v.status().name());
            in.setHeader(KvConnectSmimeConstants.VERIFICATION_DETAIL, v.detail());
            in.setHeader(KvConnectSmimeConstants.VERIFICATION_LAYERS, v.layerStatuses().stream().map(Enum::name).toList());
            in.setHeader(KvConnectSmimeConstants.SIGNER_ADDRESS, v.signerAddress());
            in.setHeader(KvConnectSmimeConstants.SIGNER_CERTIFICATE, v.signer());
            in.setHeader(KvConnectSmimeConstants.LAYER_COUNT, message.layerCount());
            in.setHeader(KvConnectSmimeConstants.PROFILE, message.profile() == null ? null : message.profile().name());
            // with inner headers of its own, who-to-whom comes from them only (DecryptedMessage.ATTRIBUTION_HEADERS)
            boolean separateInner = message.innerHeaders() != message.outerHeaders();
            copyHeaders(message.outerHeaders(), in, separateInner);
            if (separateInner) {
                copyHeaders(message.innerHeaders(), in, false);
            }
            Object body;
            switch (bodyType.toUpperCase(Locale.ROOT)) {
                case "BYTES" -> {
                    try (InputStream is = message.openEntityStream()) {
                        body = is.readAllBytes();
                    }
                }
                case "STREAM" -> body = message.openEntityStream();
                default -> body = message.businessEntity();
            }
            if (body instanceof byte[]) {
                message.close();
            } else {
                // the temporary file lives until the exchange is done
                exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange e) {
                        message.close();
                    }
                });
            }
            handedOver = true;
            return body;
        } finally {
            if (!handedOver) {
                message.close();
            }
        }
    }

    /**
     * Copies routing headers (under their {@link KvConnectSmimeConstants#INBOUND_HEADERS} names), X-KVC-* and X-KIM-*
     * headers; never Camel or camel-mail control headers.
     */
    static void copyHeaders(InternetHeaders headers, org.apache.camel.Message target, boolean withoutAttribution) {
        Map<String, String> first = new LinkedHashMap<>();
        for (Enumeration<Header> e = headers.getAllHeaders(); e.hasMoreElements();) {
            Header h = e.nextElement();
            String name = h.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("camel") || lower.startsWith("org.apache.camel.") || lower.startsWith("mail.")
                || (withoutAttribution && DecryptedMessage.ATTRIBUTION_HEADERS.contains(lower))) {
                continue;
            }
            String canonical = null;
            for (Map.Entry<String, String> r : KvConnectSmimeConstants.INBOUND_HEADERS.entrySet()) {
                if (r.getKey().equalsIgnoreCase(name)) {
                    canonical = r.getValue();
                }
            }
            if (canonical == null && (lower.startsWith("x-kvc-") || lower.startsWith("x-kim-")
                                      || lower.equals("x-kom-le-version"))) {
                canonical = name;
            }
            if (canonical != null && !first.containsKey(canonical)) {
                first.put(canonical, h.getValue() == null ? "" : h.getValue().strip());
            }
        }
        first.forEach(target::setHeader);
    }

    private SmimeWriter writer() throws IOException, KeyStoreAccessException {
        // the same CRLs as unmarshal: a recipient (or the own certificate) the CA revoked gets nothing, as with the
        // kvconnect producer
        List<X509CRL> crls = currentCrls();
        KeystoreKeys.OwnKeys keys = ownKeys();
        CurrentWriter w = writer;
        if (w == null || w.crls() != crls || w.keys() != keys) {
            synchronized (this) {
                w = writer;
                if (w == null || w.crls() != crls || w.keys() != keys) {
                    w = new CurrentWriter(buildWriter(crls, keys), crls, keys);
                    writer = w;
                }
            }
        }
        return w.writer();
    }

    private SmimeWriter buildWriter(List<X509CRL> crls, KeystoreKeys.OwnKeys keys) throws IOException {
        if (keys.current() == null || certificateResolver == null) {
            throw new IllegalStateException("kvconnectSmime marshal needs the options credentials and certificateResolver");
        }
        return SmimeWriter.builder().profile(profile).credentials(keys.current()).certificateResolver(certificateResolver)
                .trustAnchors(anchors()).crls(crls).rsaProvider(RsaProviders.resolve(rsaProvider))
                .pathCache(certificatePaths).build();
    }


    private SmimeReader reader() throws IOException, KeyStoreAccessException {
        List<X509CRL> crls = currentCrls();
        KeystoreKeys.OwnKeys keys = ownKeys();
        CurrentReader r = reader;
        if (r == null || r.crls() != crls || r.keys() != keys) {
            synchronized (this) {
                r = reader;
                if (r == null || r.crls() != crls || r.keys() != keys) {
                    r = new CurrentReader(buildReader(crls, keys), crls, keys);
                    reader = r;
                }
            }
        }
        return r.reader();
    }

    /**
     * Own keys, current first: with {@link #useKeystore} as the keystore file is now (loaded again when its content
     * changed; the getters then show the new keys), otherwise credentials and previousCredentials as set.
     */
    private KeystoreKeys.OwnKeys ownKeys() throws KeyStoreAccessException {
        KeystoreKeys k = keystoreKeys;
        if (k == null) {
            return configuredKeys;
        }
        KeystoreKeys.OwnKeys keys = k.current();
        credentials = keys.current();
        previousCredentials = keys.previous();
        return keys;
    }

    private SmimeReader buildReader(List<X509CRL> crls, KeystoreKeys.OwnKeys keys) throws IOException {
        if (keys.current() == null) {
            throw new IllegalStateException("kvconnectSmime unmarshal needs the option credentials");
        }
        List<SmimeProfile> accepted = new ArrayList<>();
        if (acceptedProfiles == null || acceptedProfiles.isBlank()) {
            accepted.add(profile);
        } else {
            for (String p : acceptedProfiles.split(",")) {
                accepted.add(SmimeProfile.valueOf(p.strip().toUpperCase(Locale.ROOT)));
            }
        }
        return SmimeReader.builder().profiles(accepted.toArray(SmimeProfile[]::new)).credentials(keys.current())
                // keys of earlier certificates: mail encrypted before a renewal stays readable
                .previousCredentials(keys.previous())
                .trustAnchors(anchors()).crls(crls).limits(limits)
                .validationTime(validationTime == null || validationTime.isBlank() ? null : Instant.parse(validationTime.strip()))
                .workDirectory(workDirectoryPath()).rsaProvider(RsaProviders.resolve(rsaProvider))
                .pathCache(certificatePaths).recipientAddresses(addresses(recipientAddresses)).build();
    }

    private static List<String> addresses(String commaSeparated) {
        List<String> result = new ArrayList<>();
        if (commaSeparated != null) {
            for (String a : commaSeparated.split(",")) {
                if (!a.isBlank()) {
                    result.add(a.strip());
                }
            }
        }
        return result;
    }

    private List<X509Certificate> anchors() throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        if (trustAnchors != null) {
            result.addAll(trustAnchors);
        }
        if (trustAnchorsFile != null && !trustAnchorsFile.isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(trustAnchorsFile.strip()))) {
                for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    result.add((X509Certificate) c);
                }
            } catch (java.security.cert.CertificateException e) {
                throw new IOException("trustAnchorsFile " + trustAnchorsFile + " holds no readable PEM certificates", e);
            }
        }
        return result;
    }

    /**
     * The CRLs of crlFiles as the files are now (re-read when one changed).
     *
     * @throws CrlFileException a file is missing, unreadable or holds no CRL: marshal and unmarshal fail rather than
     *                          check certificates against outdated or no CRLs
     */
    private List<X509CRL> currentCrls() throws CrlFileException {
        CrlFiles files = crlLists;
        if (files == null) {
            files = CrlFiles.of(crlFiles);
            crlLists = files;
        }
        try {
            return files.current();
        } catch (CrlFileException e) {
            throw new CrlFileException(e.file(), e.getMessage() + " (kvconnectSmime option crlFiles). Put the CA's "
                                                 + "current PEM or DER CRL there, or remove the file from crlFiles; until "
                                                 + "then marshal and unmarshal fail rather than check certificates "
                                                 + "against outdated CRLs.", e);
        }
    }

    private Path workDirectoryPath() {
        return Path.of(workDirectory != null ? workDirectory : System.getProperty("java.io.tmpdir"));
    }

    @Override
    protected void doStart() throws Exception {
        if (validationTime != null && !validationTime.isBlank()) {
            Instant.parse(validationTime.strip()); // fail at start, not on the first message
        }
        if (!List.of("MIME", "STREAM", "BYTES").contains(bodyType.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("bodyType must be MIME, STREAM or BYTES, not " + bodyType);
        }
        RsaProviders.resolve(rsaProvider); // an unknown provider fails at start, not on the first message
        crlLists = CrlFiles.of(crlFiles);
        currentCrls(); // a missing or broken CRL file fails at start
    }

    @Override
    protected void doStop() throws Exception {
        writer = null;
        reader = null;
        crlLists = null;
    }

    public SmimeProfile getProfile() {
        return profile;
    }

    /** Wire format written by marshal (KVCONNECT default, or KIM). */
    public void setProfile(SmimeProfile profile) {
        this.profile = profile;
    }

    public String getAcceptedProfiles() {
        return acceptedProfiles;
    }

    /** Comma-separated profiles unmarshal accepts (default: the profile option). */
    public void setAcceptedProfiles(String acceptedProfiles) {
        this.acceptedProfiles = acceptedProfiles;
    }

    public SmimeCredentials getCredentials() {
        return credentials;
    }

    /** Own key and certificate chain: signs on marshal, decrypts on unmarshal. Replaces a {@link #useKeystore}. */
    public void setCredentials(SmimeCredentials credentials) {
        this.credentials = credentials;
        keystoreKeys = null;
        configuredKeys = new KeystoreKeys.OwnKeys(credentials, previousCredentials);
    }

    public List<SmimeCredentials> getPreviousCredentials() {
        return previousCredentials;
    }

    /**
     * Own keys and certificates from before a certificate renewal, for unmarshal only: a message encrypted to one of
     * these certificates is decrypted with its key (the current {@code credentials} are tried first). Default none.
     * Replaces a {@link #useKeystore}.
     */
    public void setPreviousCredentials(List<SmimeCredentials> previousCredentials) {
        this.previousCredentials = previousCredentials == null ? List.of() : List.copyOf(previousCredentials);
        keystoreKeys = null;
        configuredKeys = new KeystoreKeys.OwnKeys(credentials, this.previousCredentials);
    }

    /**
     * Sets {@code credentials} and {@code previousCredentials} from a PIN-protected keystore: the key of {@code alias}
     * (null: the keystore's current key, see {@link PinProtectedKeyStore#load(char[])}) signs and decrypts, and the keys
     * the keystore kept when that certificate was renewed ({@value PinProtectedKeyStore#PREVIOUS_ALIAS_PREFIX} entries)
     * decrypt too, newest first, so mail encrypted to an earlier certificate stays readable.
     * <p>
     * The keys are loaded now and again before the next marshal or unmarshal whenever the file's content changed (its
     * SHA-256, as the {@code kvconnect:} component checks its keystore), so a renewed certificate saved into the file
     * is used without a restart. If a changed file does not load, marshal and unmarshal fail with
     * {@link KeyStoreAccessException} naming the file until it is fixed. The PIN is kept (as a copy) for that.
     *
     * @throws KeyStoreAccessException the keystore does not open with {@code pin} or has no such key (the message never
     *                                 contains the PIN)
     */
    public void useKeystore(PinProtectedKeyStore keystore, char[] pin, String alias) throws KeyStoreAccessException {
        KeystoreKeys keys = KeystoreKeys.load(keystore, pin, alias);
        KeystoreKeys.OwnKeys loaded = keys.current();
        this.credentials = loaded.current();
        this.previousCredentials = loaded.previous();
        this.keystoreKeys = keys;
    }

    public CertificateResolver getCertificateResolver() {
        return certificateResolver;
    }

    /** Finds recipients' encryption certificates on marshal. */
    public void setCertificateResolver(CertificateResolver certificateResolver) {
        this.certificateResolver = certificateResolver;
    }

    public List<X509Certificate> getTrustAnchors() {
        return trustAnchors;
    }

    /** Trusted CA certificates (signers on unmarshal, recipients on marshal). */
    public void setTrustAnchors(List<X509Certificate> trustAnchors) {
        this.trustAnchors = trustAnchors;
    }

    public String getTrustAnchorsFile() {
        return trustAnchorsFile;
    }

    /** PEM file with trusted CA certificates (added to trustAnchors). */
    public void setTrustAnchorsFile(String trustAnchorsFile) {
        this.trustAnchorsFile = trustAnchorsFile;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    /**
     * Comma-separated PEM or DER CRL files (see {@link Crls#paths(String)}), used by marshal and unmarshal. Unmarshal:
     * a signer certificate listed in a current CRL of its CA is REVOKED. Marshal: a recipient's certificate or the own
     * certificate listed there fails with {@link CertificateProblemsException} naming the address ("certificate
     * revoked"), nothing is written, as with the kvconnect producer. Read at start (a missing or broken file fails the
     * start) and again before the next marshal or unmarshal whenever a file's modification time or size changed,
     * without a restart. If a changed file cannot be read, marshal and unmarshal fail with {@link CrlFileException}
     * naming the file until it is fixed: revocation is never silently switched off or checked against CRLs the
     * operator has replaced. Certificates whose CA has no current CRL here are not checked.
     */
    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public String getRecipientAddresses() {
        return recipientAddresses;
    }

    /**
     * Unmarshal: the comma-separated addresses this mailbox receives at. A signed KIM inner mail whose signed recipients
     * name none of them is {@link VerificationStatus#RECIPIENT_MISMATCH} (surreptitious forwarding, see
     * {@link SmimeReader.Builder#recipientAddresses}). Default none: not checked.
     */
    public void setRecipientAddresses(String recipientAddresses) {
        this.recipientAddresses = recipientAddresses;
    }

    public String getValidationTime() {
        return validationTime;
    }

    /** ISO-8601 instant to validate certificates at (archive checks); default now. Never the signer's signingTime. */
    public void setValidationTime(String validationTime) {
        this.validationTime = validationTime;
    }

    public String getRsaProvider() {
        return rsaProvider;
    }

    /**
     * JCA provider for the RSA operations (signature, key wrap and unwrap): {@code default} (the JVM's providers and
     * Bouncy Castle), {@code auto} (the Amazon Corretto Crypto Provider if it is on the class path and passes its
     * self-test, else default) or a provider name. Same bytes on the wire either way; see docs/smime.md.
     */
    public void setRsaProvider(String rsaProvider) {
        this.rsaProvider = rsaProvider;
    }

    public String getWorkDirectory() {
        return workDirectory;
    }

    /** Directory for owner-only temporary files; default java.io.tmpdir. */
    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }

    public String getBodyType() {
        return bodyType;
    }

    /** Unmarshal body: MIME (jakarta.mail MimeMessage, file-backed; default), STREAM (InputStream) or BYTES. */
    public void setBodyType(String bodyType) {
        this.bodyType = bodyType;
    }

    public SmimeLimits getLimits() {
        return limits;
    }

    /** Limits for unmarshal (nesting, headers, parts, size). */
    public void setLimits(SmimeLimits limits) {
        this.limits = limits;
    }
}
