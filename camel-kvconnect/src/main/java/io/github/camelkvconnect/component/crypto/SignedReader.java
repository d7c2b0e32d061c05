package io.github.camelkvconnect.component.crypto;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.util.Selector;

import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * Reads a KV-Connect transport message: decrypts the EnvelopedData with the account's key, checks the clear signature
 * ({@code multipart/signed}) and the signer's certificate path, and unwraps nested KV-Connect messages (a gateway may
 * wrap a complete message into a signed and encrypted layer, as in the real reference vector). Streams through
 * temporary files; the result's business entity is backed by a file.
 */
final class SignedReader {

    private static final int MAX_LAYERS = 4;
    private static final Session SESSION = Session.getInstance(new java.util.Properties());

    private final SmimeCredentials credentials;
    private final List<X509Certificate> anchors;
    private final Instant validationTime;
    private final Path work;
    private final List<Path> tempFiles;

    SignedReader(SmimeCredentials credentials, List<X509Certificate> anchors, Instant validationTime, Path work,
                 List<Path> tempFiles) {
        this.credentials = credentials;
        this.anchors = anchors;
        this.validationTime = validationTime;
        this.work = work;
        this.tempFiles = tempFiles;
    }

    ReceivedMessage read(Path transport) throws IOException, DecryptionFailedException {
        Map<String, String> headers = new LinkedHashMap<>();
        Path current = transport;
        Verification verification = null;
        for (int layer = 0; layer < MAX_LAYERS; layer++) {
            Layer parsed = headersOf(current);
            mergeHeaders(headers, parsed.headers);
            if (!parsed.contentType.match("application/pkcs7-mime") && !parsed.contentType.match("application/x-pkcs7-mime")) {
                if (layer == 0) {
                    throw new DecryptionFailedException("NOT_ENCRYPTED",
                            "The message is not encrypted (Content-Type " + parsed.contentType.getBaseType() + ")", null);
                }
                break;
            }
            if (layer > 0 && !isBase64(parsed) && bodyStartsWithHeaders(current, parsed)) {
                // A gateway wrapped a complete KV-Connect message (its own headers and base64 body) as a 7bit part.
                current = extractBody(current, parsed);
                continue;
            }
            Path decrypted = decrypt(current, parsed);
            Layer inner = headersOf(decrypted);
            if (inner.contentType.match("multipart/signed")) {
                Signed signed = split(decrypted, inner);
                Verification v = verify(signed, headers.get("from"));
                // The first failing layer decides; if all are valid, the innermost signer is reported.
                if (verification == null || verification.valid()) {
                    verification = v;
                }
                current = signed.content;
                Layer content = headersOf(current);
                if (content.contentType.match("application/pkcs7-mime")
                    || content.contentType.match("application/x-pkcs7-mime")) {
                    continue;
                }
                return result(current, headers, verification);
            }
            return result(decrypted, headers, new Verification("UNSIGNED", "the message carries no signature", null, null));
        }
        throw new DecryptionFailedException("TOO_DEEPLY_NESTED", "More than " + MAX_LAYERS + " nested layers", null);
    }

    private ReceivedMessage result(Path entity, Map<String, String> headers, Verification v) throws IOException {
        try {
            MimeMessage message = new MimeMessage(SESSION, new SharedFileInputStream(entity.toFile()));
            return new ReceivedMessage(message, headers, v.status(), v.detail(), v.signerAddress(), v.signer());
        } catch (MessagingException e) {
            throw new IOException("Cannot parse the decrypted content: " + e.getMessage(), e);
        }
    }

    /**
     * Routing headers of a layer; those of a nested (inner) message replace the outer ones, since a gateway's wrapper
     * carries its own From and Subject while the inner message is the real one.
     */
    private static void mergeHeaders(Map<String, String> headers, InternetHeaders parsed) {
        for (java.util.Enumeration<Header> e = parsed.getAllHeaders(); e.hasMoreElements();) {
            Header h = e.nextElement();
            String name = h.getName().toLowerCase(Locale.ROOT);
            if (!name.startsWith("content-") && !name.equals("mime-version")) {
                headers.put(name, h.getValue() == null ? "" : h.getValue().strip());
            }
        }
    }

    private record Layer(InternetHeaders headers, ContentType contentType, long bodyOffset) {
    }

    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private static Layer headersOf(Path file) throws IOException {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        long offset = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] line;
            while ((line = readLine(in)) != null) {
                offset += line.length;
                if (stripNewline(line).length == 0) {
                    break;
                }
                raw.write(line);
                if (raw.size() > MAX_HEADER_BYTES) {
                    throw new IOException("The MIME headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
            }
        }
        try {
            raw.write('\r');
            raw.write('\n');
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(raw.toByteArray()));
            String ct = headers.getHeader("Content-Type", null);
            return new Layer(headers, new ContentType(ct == null ? "text/plain" : ct), offset);
        } catch (MessagingException e) {
            throw new IOException("Malformed MIME headers: " + e.getMessage(), e);
        }
    }

    private Path decrypt(Path file, Layer layer) throws IOException, DecryptionFailedException {
        Path out = TempFiles.create(work, "dec-", ".mime");
        tempFiles.add(out);
        X509Certificate own = credentials.certificate();
        X500Name ownIssuer = X500Name.getInstance(own.getIssuerX500Principal().getEncoded());
        List<org.bouncycastle.cms.RecipientId> candidates = new ArrayList<>();
        try (InputStream in = body(file, layer)) {
            for (RecipientInformation r : new CMSEnvelopedDataParser(in).getRecipientInfos().getRecipients()) {
                if (r instanceof KeyTransRecipientInformation && r.getRID() instanceof KeyTransRecipientId id) {
                    boolean ours = own.getSerialNumber().equals(id.getSerialNumber()) && ownIssuer.equals(id.getIssuer());
                    candidates.add(ours ? 0 : candidates.size(), id);
                }
            }
        } catch (CMSException | RuntimeException e) {
            throw new DecryptionFailedException("CORRUPT_DATA", "The encrypted data cannot be parsed", e);
        }
        // Our certificate's RecipientInfo first; then (for a key whose certificate is not known) every other one.
        for (org.bouncycastle.cms.RecipientId rid : candidates) {
            try (InputStream in = body(file, layer)) {
                RecipientInformation r = new CMSEnvelopedDataParser(in).getRecipientInfos().get(rid);
                try (InputStream content = r.getContentStream(new JceKeyTransEnvelopedRecipient(credentials.privateKey()))
                        .getContentStream()) {
                    Files.copy(content, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                if (looksLikeMime(out)) {
                    return out;
                }
            } catch (CMSException | IOException | RuntimeException e) {
                // try the next RecipientInfo; every failure ends in the same exception below
            }
        }
        throw new DecryptionFailedException("NO_MATCHING_RECIPIENT",
                "None of the message's recipient entries can be decrypted with the configured key", null);
    }

    private static boolean isBase64(Layer layer) {
        String cte = layer.headers.getHeader("Content-Transfer-Encoding", null);
        return cte != null && cte.strip().equalsIgnoreCase("base64");
    }

    private static boolean bodyStartsWithHeaders(Path file, Layer layer) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(layer.bodyOffset);
            byte[] line = readLine(in);
            return line != null && new String(line, StandardCharsets.ISO_8859_1).matches("(?s)[A-Za-z0-9-]+:.*");
        }
    }

    private Path extractBody(Path file, Layer layer) throws IOException {
        Path out = TempFiles.create(work, "embedded-", ".eml");
        tempFiles.add(out);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(layer.bodyOffset);
            Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    private static boolean looksLikeMime(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(512);
            String s = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            return s.contains("content-type:");
        }
    }

    private static InputStream body(Path file, Layer layer) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.skipNBytes(layer.bodyOffset);
        String cte = layer.headers.getHeader("Content-Transfer-Encoding", null);
        if (cte != null && cte.strip().equalsIgnoreCase("base64")) {
            return Base64.getMimeDecoder().wrap(in);
        }
        return in;
    }

    private record Signed(Path content, byte[] signature) {
    }

    /** Splits a multipart/signed entity into the exact bytes of the signed part and the decoded signature. */
    private Signed split(Path file, Layer layer) throws IOException, DecryptionFailedException {
        String boundary = layer.contentType.getParameter("boundary");
        if (boundary == null) {
            throw new DecryptionFailedException("MALFORMED", "multipart/signed without boundary", null);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Path content = TempFiles.create(work, "signed-content-", ".mime");
        tempFiles.add(content);
        java.io.ByteArrayOutputStream signaturePart = new java.io.ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             OutputStream contentOut = new java.io.BufferedOutputStream(Files.newOutputStream(content))) {
            in.skipNBytes(layer.bodyOffset);
            int part = 0; // 0 preamble, 1 signed content, 2 signature, 3 epilogue
            byte[] pendingNewline = null;
            byte[] line;
            while ((line = readLine(in)) != null) {
                byte[] stripped = stripNewline(line);
                if (startsWith(stripped, delimiter) && isDelimiterLine(stripped, delimiter)) {
                    boolean close = stripped.length >= delimiter.length + 2 && stripped[delimiter.length] == '-'
                                    && stripped[delimiter.length + 1] == '-';
                    part = close ? 3 : part + 1;
                    pendingNewline = null;
                    continue;
                }
                if (part == 1) {
                    // The line break before a delimiter belongs to the delimiter, not to the content.
                    if (pendingNewline != null) {
                        contentOut.write(pendingNewline);
                    }
                    contentOut.write(stripped);
                    pendingNewline = java.util.Arrays.copyOfRange(line, stripped.length, line.length);
                } else if (part == 2) {
                    signaturePart.write(line);
                }
            }
            if (part < 2) {
                throw new DecryptionFailedException("MALFORMED", "multipart/signed without signature part", null);
            }
        }
        try (InputStream sig = new ByteArrayInputStream(signaturePart.toByteArray())) {
            InternetHeaders sigHeaders = new InternetHeaders(sig);
            byte[] encoded = sig.readAllBytes();
            String cte = sigHeaders.getHeader("Content-Transfer-Encoding", null);
            byte[] der = cte != null && cte.strip().equalsIgnoreCase("base64")
                    ? Base64.getMimeDecoder().decode(new String(encoded, StandardCharsets.US_ASCII).strip()) : encoded;
            return new Signed(content, der);
        } catch (MessagingException | IllegalArgumentException e) {
            throw new DecryptionFailedException("MALFORMED", "The signature part cannot be read", e);
        }
    }

    private static boolean isDelimiterLine(byte[] line, byte[] delimiter) {
        for (int i = delimiter.length; i < line.length; i++) {
            byte b = line[i];
            if (b != '-' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        if (line.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] stripNewline(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return end == line.length ? line : java.util.Arrays.copyOf(line, end);
    }

    /** One line including its line break, or null at the end. Lines are bounded to keep memory small. */
    private static byte[] readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            buf.write(b);
            if (b == '\n' || buf.size() >= 64 * 1024) {
                break;
            }
        }
        return buf.size() == 0 && b == -1 ? null : buf.toByteArray();
    }

    private record Verification(String status, String detail, String signerAddress, X509Certificate signer) {
        boolean valid() {
            return "VALID".equals(status);
        }
    }

    private Verification verify(Signed signed, String from) {
        X509Certificate signerCert = null;
        String address = null;
        try {
            CMSSignedData data = new CMSSignedData(new FileContent(signed.content()), signed.signature());
            Collection<SignerInformation> signers = data.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return new Verification("BAD_SIGNATURE", "expected exactly one signer, found " + signers.size(), null, null);
            }
            SignerInformation si = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = data.getCertificates().getMatches((Selector<X509CertificateHolder>) si.getSID());
            if (matches.isEmpty()) {
                return new Verification("NO_SIGNER_CERTIFICATE", "the signer's certificate is not included", null, null);
            }
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            signerCert = converter.getCertificate(matches.iterator().next());
            address = emailOf(signerCert);
            if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signerCert))) {
                return new Verification("BAD_SIGNATURE", "the signature does not match the content", address, signerCert);
            }
            List<X509Certificate> others = new ArrayList<>();
            for (X509CertificateHolder h : data.getCertificates().getMatches(null)) {
                others.add(converter.getCertificate(h));
            }
            Verification path = validatePath(signerCert, others, address);
            if (path != null) {
                return path;
            }
            String usage = usageProblem(signerCert);
            if (usage != null) {
                return new Verification("WRONG_KEY_USAGE", usage, address, signerCert);
            }
            String fromAddress = plainAddress(from);
            if (fromAddress != null && (address == null || !address.equalsIgnoreCase(fromAddress))) {
                return new Verification("SIGNER_MISMATCH", "the signer " + address + " is not the sender " + fromAddress,
                        address, signerCert);
            }
            return new Verification("VALID", null, address, signerCert);
        } catch (CMSException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | RuntimeException e) {
            return new Verification("BAD_SIGNATURE", "the signature cannot be verified: " + e.getMessage(), address, signerCert);
        }
    }

    private Verification validatePath(X509Certificate signer, List<X509Certificate> included, String address)
            throws GeneralSecurityException {
        if (anchors.isEmpty()) {
            return new Verification("UNTRUSTED", "no smimeTrustAnchors configured", address, signer);
        }
        Set<TrustAnchor> trust = new HashSet<>();
        for (X509Certificate a : anchors) {
            trust.add(new TrustAnchor(a, null));
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(signer);
        X509Certificate current = signer;
        for (int i = 0; i < 5; i++) {
            X509Certificate issuer = null;
            for (X509Certificate c : included) {
                if (!c.equals(current) && c.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                    && anchors.stream().noneMatch(a -> a.equals(c))) {
                    issuer = c;
                }
            }
            if (issuer == null || issuer.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())) {
                break;
            }
            path.add(issuer);
            current = issuer;
        }
        PKIXParameters params = new PKIXParameters(trust);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(validationTime != null ? validationTime : Instant.now()));
        try {
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    params);
            return null;
        } catch (CertPathValidatorException e) {
            String reason = e.getReason() == CertPathValidatorException.BasicReason.EXPIRED ? "EXPIRED"
                    : e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID ? "NOT_YET_VALID" : "UNTRUSTED";
            return new Verification(reason, "certificate path: " + e.getMessage(), address, signer);
        }
    }

    /** A signing certificate must allow digital signatures and, if it restricts its use, e-mail protection. */
    private static String usageProblem(X509Certificate cert) throws java.security.cert.CertificateParsingException {
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !(ku[0] || ku[1])) {
            return "the signer certificate does not allow digital signatures";
        }
        List<String> eku = cert.getExtendedKeyUsage();
        if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.4") && !eku.contains("2.5.29.37.0")) {
            return "the signer certificate is not meant for e-mail protection";
        }
        return null;
    }

    private static String emailOf(X509Certificate cert) throws java.security.cert.CertificateParsingException {
        if (cert.getSubjectAlternativeNames() != null) {
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(1).equals(san.get(0))) {
                    return String.valueOf(san.get(1));
                }
            }
        }
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (ASN1ObjectIdentifier oid : new ASN1ObjectIdentifier[] { BCStyle.EmailAddress, BCStyle.E }) {
            for (RDN rdn : name.getRDNs(oid)) {
                if (rdn.getFirst().getValue() instanceof ASN1String s) {
                    return s.getString();
                }
            }
        }
        return null;
    }

    private static String plainAddress(String from) {
        if (from == null || from.isBlank()) {
            return null;
        }
        try {
            return new InternetAddress(from, false).getAddress();
        } catch (jakarta.mail.internet.AddressException e) {
            return from.strip();
        }
    }

    /** Signed content read from a file on demand (never held in memory). */
    private record FileContent(Path file) implements CMSTypedData {
        @Override
        public ASN1ObjectIdentifier getContentType() {
            return CMSObjectIdentifiers.data;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            Files.copy(file, out);
        }

        @Override
        public Object getContent() {
            return file;
        }
    }
}
