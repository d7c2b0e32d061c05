package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.mail.internet.InternetHeaders;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

/**
 * One read of a transport message: unwraps it layer by layer (base64, envelope, signature, embedded message) under
 * the nesting limit, hands each layer to the {@link EnvelopeDecryptor} or {@link SignatureVerifier}, collects the
 * layers' results in {@link LayerVerdicts} and builds the {@link DecryptedMessage}. Not thread-safe: one per read.
 * <p>
 * The limits are counted where the bytes are read: {@link HeaderBlockReader} for every header block,
 * {@link MimeStructure} for the parts and nesting of a multipart (the entity, or a multipart transport),
 * {@link Asn1Guard} for every CMS structure (through {@link SignaturePartDecoder} for a detached signature).
 */
final class LayerWalker {

    private final SmimeLimits limits;
    private final Path workDirectory;
    private final EnvelopeDecryptor decryptor;
    private final SignatureVerifier verifier;
    private final WorkFiles work;
    private final LayerVerdicts verdicts = new LayerVerdicts();
    private final Set<String> ownAddresses;
    private SmimeProfile profile;
    private int layers;
    private boolean unencryptedPart;

    /**
     * @param ownAddresses the addresses the account receives at, lower case (may be empty: then the signed recipients of
     *                     an inner mail are not checked)
     */
    LayerWalker(SmimeLimits limits, Path workDirectory, boolean inMemory, EnvelopeDecryptor decryptor,
                SignatureVerifier verifier, Set<String> ownAddresses) {
        this.ownAddresses = ownAddresses;
        this.limits = limits;
        this.workDirectory = workDirectory;
        this.decryptor = decryptor;
        this.verifier = verifier;
        this.work = new WorkFiles(workDirectory, inMemory);
    }

    /** Deletes the temporary files of a failed read. */
    void deleteTemporaryFiles() {
        work.deleteAll();
    }

    DecryptedMessage run(Path transport) throws SmimeException, IOException {
        MimeFiles.Entity outer = MimeFiles.read(transport, limits);
        MimeFiles.Entity current = outer;
        if (outer.is("multipart/mixed")) {
            current = encryptedPartOf(outer);
        }
        InternetHeaders messageHeaders = outer.headers();
        boolean entityIsInnerMail = false;
        for (int depth = 0; ; depth++) {
            if (depth > limits.maxNestingDepth()) {
                throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "More than "
                        + limits.maxNestingDepth() + " nested layers (limit maxNestingDepth); the message is refused");
            }
            if (current.isPkcs7Mime()) {
                if (!current.transferEncoding().equals("base64") && MimeFiles.bodyIsMessage(current)) {
                    // A gateway wrapped a complete KV-Connect message (own headers + base64 body) as a 7bit part.
                    Layer embedded = MimeFiles.copyBody(current, work.newLayer("embedded-"));
                    work.discardUnlessTransport(current.source(), transport);
                    current = MimeFiles.read(embedded, limits);
                    messageHeaders = current.headers();
                    continue;
                }
                Layer der = MimeFiles.copyBody(current, work.newLayer("cms-"));
                ASN1ObjectIdentifier type;
                try {
                    type = CmsStructures.contentTypeOf(der, limits);
                } catch (SmimeDecryptionException e) {
                    if (layers > 0 && isSignedDataPart(current)) {
                        // Inside the decryption the signature layer is unreadable (e.g. a tool converted the line
                        // endings of the binary DER): deliver the decrypted entity, flagged, rather than lose it.
                        work.discard(der);
                        verdicts.signature(VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the SignedData layer is "
                                + "not valid DER (" + e.reason() + "); the signature cannot be checked"));
                        break;
                    }
                    throw e;
                }
                work.discardUnlessTransport(current.source(), transport);
                if (CMSObjectIdentifiers.envelopedData.equals(type) || CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                    EnvelopeDecryptor.Opened opened = decryptor.decrypt(der, type, work);
                    if (profile == null) {
                        profile = opened.profile();
                    }
                    work.discard(der);
                    layers++;
                    verdicts.enterLayer();
                    current = MimeFiles.read(opened.content(), limits);
                } else if (CMSObjectIdentifiers.signedData.equals(type)) {
                    Layer.Target target = work.newLayer("signed-");
                    Set<String> signedRecipients = new TreeSet<>();
                    VerificationResult v = verifier.verifyOpaque(der, target, messageHeaders, profile, signedRecipients);
                    Layer content = target.layer();
                    work.discard(der);
                    verdicts.signature(v);
                    current = MimeFiles.read(content, limits);
                    if (current.is("message/rfc822")) {
                        Layer inner = MimeFiles.copyBody(current, work.newLayer("inner-"));
                        work.discard(content);
                        current = MimeFiles.read(inner, limits);
                        InternetHeaders carrier = messageHeaders;
                        messageHeaders = current.headers();
                        entityIsInnerMail = true;
                        checkInnerMail(carrier, messageHeaders, signedRecipients);
                        break;
                    }
                } else if (CMSObjectIdentifiers.compressedData.equals(type)) {
                    throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED,
                            "CMS CompressedData is refused (decompression bombs); ask the sender not to compress");
                } else {
                    throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                            "Unsupported CMS content type " + type + " in an application/pkcs7-mime part");
                }
            } else if (current.is("multipart/signed")) {
                MimeFiles.SignedParts parts = MimeFiles.splitSigned(current, work.newLayer("content-"), limits);
                ASN1Primitive signature = SignatureAsn1.parse(parts.signature());
                verdicts.signature(verifier.verifyDetached(parts, signature, messageHeaders, profile));
                work.discardUnlessTransport(current.source(), transport);
                current = MimeFiles.read(parts.content(), limits);
            } else {
                break;
            }
        }
        if (layers == 0) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    DecryptionTexts.notEncrypted(current.contentType().getBaseType()));
        }
        if (current.is("multipart/*")) {
            // counted line by line before anything builds the tree (a single part has no parts to count or nest)
            MimeStructure.check(current, limits);
        }
        if (unencryptedPart) {
            verdicts.unencryptedPart();
        }
        VerificationResult verification = verdicts.result(current.contentType().getBaseType());
        InternetHeaders inner = entityIsInnerMail || messageHeaders != outer.headers() ? messageHeaders : outer.headers();
        DecryptedMessage result;
        if (current.source() instanceof Layer.InMemory bytes) {
            // a small message: the entity stays in memory, a file is written only if the caller asks for one
            work.deleteAll();
            result = new DecryptedMessage(profile, outer.headers(), inner, bytes, workDirectory, verification, layers);
        } else {
            Path entityFile;
            if (current.source() instanceof Layer.InFile f && work.owns(f.file())) {
                entityFile = f.file();
            } else {
                // still the transport file itself (never hand out the caller's file): the result owns a copy
                entityFile = work.newTemp("entity-");
                try (InputStream in = current.source().open(); OutputStream out = Files.newOutputStream(entityFile)) {
                    in.transferTo(out);
                }
            }
            result = new DecryptedMessage(profile, outer.headers(), inner, entityFile, verification, layers,
                    List.of(entityFile));
            work.release(entityFile);
            work.deleteAll();
        }
        if (current.is("multipart/*")) {
            try {
                EntityTree.parse(result, limits);
            } catch (SmimeException | IOException | RuntimeException | StackOverflowError e) {
                result.close();
                throw e;
            }
        }
        return result;
    }

    /**
     * The signature covered a complete inner mail (KIM): its signer is judged against the signed From, and the outside
     * against the signed headers and recipients (catalogue R15, R16).
     */
    private void checkInnerMail(InternetHeaders carrier, InternetHeaders signed, Set<String> signedRecipients) {
        verdicts.recheckAddress(signed, profile);
        // only a signature otherwise valid says whom the sender meant: an untrusted one names nobody
        boolean attributable = verdicts.lastSignatureIsValid();
        String headers = InnerMailChecks.headerMismatch(carrier, signed);
        if (headers != null) {
            verdicts.finding(VerificationStatus.HEADER_MISMATCH, headers);
        }
        String recipients = attributable ? InnerMailChecks.recipientMismatch(ownAddresses, signed, signedRecipients) : null;
        if (recipients != null) {
            verdicts.finding(VerificationStatus.RECIPIENT_MISMATCH, recipients);
        }
    }

    private static boolean isSignedDataPart(MimeFiles.Entity entity) {
        String type = entity.contentType().getParameter("smime-type");
        return type != null && type.equalsIgnoreCase("signed-data");
    }

    /** A multipart/mixed transport: use its encrypted part and remember that something travels in clear. */
    private MimeFiles.Entity encryptedPartOf(MimeFiles.Entity outer) throws IOException, SmimeException {
        MimeStructure.Chosen encrypted = MimeStructure.extractFirst(outer, limits, work.newLayer("part-"),
                "application/pkcs7-mime", "application/x-pkcs7-mime");
        if (encrypted == null) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    DecryptionTexts.notEncrypted("multipart/mixed without an application/pkcs7-mime part"));
        }
        unencryptedPart = encrypted.others();
        return MimeFiles.read(encrypted.part(), limits);
    }
}
