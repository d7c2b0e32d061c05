package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

import jakarta.mail.internet.InternetHeaders;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Store;

/**
 * Verifies the SignedData of one layer (detached in a multipart/signed, or opaque) and reports it as a
 * {@link VerificationResult} without throwing for signature problems: algorithm strength, the signature itself, the
 * signer's certificate path, key usage and the signer address. Thread-safe.
 */
final class SignatureVerifier {

    private final List<SmimeProfile> profiles;
    private final java.util.Map<SmimeProfile, AlgorithmPolicy> policies;
    private final List<X509Certificate> trustAnchors;
    private final List<X509Certificate> intermediates;
    private final List<X509CRL> crls;
    private final Instant validationTime;
    private final Clock clock;
    private final RsaOperations rsa;
    /** PKIX-accepted paths: the builder's shared cache, or one of this reader. */
    private final CertificatePathCache validPaths;
    private final SmimeLimits limits;
    private final ConvertedCertificates convertedCertificates = new ConvertedCertificates();

    SignatureVerifier(List<SmimeProfile> profiles, java.util.Map<SmimeProfile, AlgorithmPolicy> policies,
                      List<X509Certificate> trustAnchors, List<X509Certificate> intermediates, List<X509CRL> crls,
                      Instant validationTime, Clock clock, RsaOperations rsa, CertificatePathCache validPaths,
                      SmimeLimits limits) {
        this.profiles = profiles;
        this.policies = policies;
        this.trustAnchors = trustAnchors;
        this.intermediates = intermediates;
        this.crls = crls;
        this.validationTime = validationTime;
        this.clock = clock;
        this.rsa = rsa;
        this.validPaths = validPaths;
        this.limits = limits;
    }

    /**
     * {@code signature}: the signature part as parsed by {@link SignatureAsn1#parse}, null if it is not DER.
     * {@code profile}: the profile of the envelope read so far (null: none yet).
     */
    VerificationResult verifyDetached(MimeFiles.SignedParts parts, ASN1Primitive signature, InternetHeaders headers,
                                      SmimeProfile profile) {
        if (signature == null) {
            return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the signature cannot be parsed");
        }
        try {
            // the structure parsed once for the depth check serves the verification too (no second parse)
            CMSSignedData data = new CMSSignedData(new LayerContent(parts.content()), ContentInfo.getInstance(signature));
            return verifySigners(data.getSignerInfos(), data.getCertificates(), headers, profile);
        } catch (CMSException | RuntimeException e) {
            return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the signature cannot be parsed");
        }
    }

    /**
     * Streams the content of an opaque SignedData into {@code contentTarget} and verifies it; adds the addresses of the
     * signers' signed recipient-emails attributes (KIM) to {@code signedRecipients}.
     */
    VerificationResult verifyOpaque(Layer der, Layer.Target contentTarget, InternetHeaders headers, SmimeProfile profile,
                                    Set<String> signedRecipients) throws IOException, SmimeException {
        Asn1Guard.Filter in = Asn1Guard.open(der, limits);
        try (in) {
            CMSSignedDataParser parser = new CMSSignedDataParser(BulkCrypto.digests(), in);
            CMSTypedStream signed = parser.getSignedContent();
            if (signed == null) {
                throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME, "Opaque SignedData without content");
            }
            try (InputStream content = signed.getContentStream(); OutputStream os = contentTarget.open()) {
                content.transferTo(os);
            }
            SignerInformationStore signers = parser.getSignerInfos();
            for (SignerInformation si : signers.getSigners()) {
                signedRecipients.addAll(InnerMailChecks.recipientEmails(si));
            }
            VerificationResult result = verifySigners(signers, parser.getCertificates(), headers, profile);
            // a parser that swallowed the guard's exception still leaves the violation recorded
            in.guard().throwIfViolated();
            return result;
        } catch (OperatorCreationException | CMSException | RuntimeException e) {
            in.guard().throwIfViolated();
            throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA,
                    DecryptionTexts.malformedStructure("signed data (SignedData)"), e);
        } catch (IOException e) {
            in.guard().throwIfViolated();
            // malformed or cut-off ASN.1 of the SignedData (Bouncy Castle reports it as IOException)
            DecryptionFailure reason = CmsStructures.classifyStructure(e);
            throw new SmimeDecryptionException(reason, reason == DecryptionFailure.TRUNCATED
                    ? DecryptionTexts.truncated("signed data (SignedData)")
                    : DecryptionTexts.malformedStructure("signed data (SignedData)"), e);
        }
    }

    private VerificationResult verifySigners(SignerInformationStore signers, Store<X509CertificateHolder> certificates,
                                             InternetHeaders headers, SmimeProfile profile) {
        if (signers.size() == 0) {
            return VerificationResult.of(VerificationStatus.UNSIGNED, "the SignedData has no signer");
        }
        AlgorithmPolicy policy = policies.get(profile != null ? profile : profiles.get(0));
        // several signers: the worst counts, as across layers (the first of equally bad ones)
        VerificationResult worst = null;
        for (SignerInformation si : signers.getSigners()) {
            VerificationResult v = verifySigner(si, certificates, policy, headers, profile);
            if (worst == null || v.status().isWorseThan(worst.status())) {
                worst = v;
            }
        }
        return worst;
    }

    private VerificationResult verifySigner(SignerInformation si, Store<X509CertificateHolder> certificates,
                                            AlgorithmPolicy policy, InternetHeaders headers, SmimeProfile profile) {
        X509Certificate signer = null;
        String address = null;
        try {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = certificates.getMatches(si.getSID());
            if (matches.isEmpty()) {
                return VerificationResult.of(VerificationStatus.INCOMPLETE_CHAIN,
                        "the signer's certificate is not included in the message");
            }
            signer = convertedCertificates.convert(matches.iterator().next());
            address = CertificateChecks.emailOf(signer);
            String weak = SignatureStrength.problem(policy, si, signer.getPublicKey());
            if (weak != null) {
                return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer, weak);
            }
            // verify with the bare public key: BC would otherwise judge the certificate at the signer's claimed
            // signingTime; validity is checked below at the validation time instead
            PublicKey signerKey = signer.getPublicKey();
            // ECDSA always on Bouncy Castle: the rsaProvider is for RSA only
            if (!si.verify(EcKeys.isEc(signerKey) ? EcOperations.verifier(signerKey)
                    : rsa.verifier(signerKey, si.getEncryptionAlgOID()))) {
                return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer,
                        "the signature does not match the content");
            }
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            for (X509CertificateHolder h : certificates.getMatches(null)) {
                pool.add(convertedCertificates.convert(h));
            }
            Date at = Date.from(validationTime != null ? validationTime : clock.instant());
            CertificateChecks.PathOutcome path = CertificateChecks.validatePath(signer, pool, trustAnchors, at,
                    validPaths, crls);
            if (path.status() != VerificationStatus.VALID) {
                return new VerificationResult(path.status(), address, signer, path.detail());
            }
            String form = CertificateChecks.addressFormProblem(signer);
            if (form != null) {
                return new VerificationResult(VerificationStatus.UNTRUSTED_CHAIN, address, signer, form);
            }
            String usage = CertificateChecks.signingUsageProblem(signer, profile);
            if (usage != null) {
                return new VerificationResult(VerificationStatus.WRONG_KEY_USAGE, address, signer, usage);
            }
            return SignerAddressCheck.check(new VerificationResult(VerificationStatus.VALID, address, signer, null),
                    headers, profile);
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException
                 | RuntimeException e) {
            return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer,
                    "the signature cannot be verified (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The signed content of a detached signature, streamed from its layer into the digest. */
    private record LayerContent(Layer layer) implements CMSProcessable {
        @Override
        public void write(OutputStream out) throws IOException {
            try (InputStream in = layer.open()) {
                in.transferTo(out);
            }
        }

        @Override
        public Object getContent() {
            return layer;
        }
    }
}
