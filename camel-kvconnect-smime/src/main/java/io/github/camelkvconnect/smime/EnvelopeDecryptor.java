package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;

/**
 * Opens one EnvelopedData/AuthEnvelopedData layer: picks the profile whose policy accepts it, selects our
 * RecipientInfo (or trial-decrypts a bounded number of them) and decrypts the content into a new layer. Thread-safe.
 */
final class EnvelopeDecryptor {

    /** The decrypted content and the profile whose policy accepted the envelope. */
    record Opened(Layer content, SmimeProfile profile) {
    }

    /** The one outcome of every failed RSA PKCS#1 v1.5 key transport to our certificate or of its content. */
    private static final String PKCS1_FAILURE = "The message cannot be decrypted: its encrypted data is damaged or it "
            + "was not encrypted for the configured key; check that the account's current key or keystore is "
            + "configured, otherwise ask the sender to send the message again";

    private final List<SmimeProfile> profiles;
    private final Map<SmimeProfile, AlgorithmPolicy> policies;
    /** Our keys with their certificates (null certificate: key only, so every RecipientInfo has to be tried). */
    private final List<DecryptionKey> keys;
    private final SmimeLimits limits;
    private final RsaOperations rsa;

    EnvelopeDecryptor(List<SmimeProfile> profiles, Map<SmimeProfile, AlgorithmPolicy> policies, List<DecryptionKey> keys,
                      SmimeLimits limits, RsaOperations rsa) {
        this.profiles = profiles;
        this.policies = policies;
        this.keys = keys;
        this.limits = limits;
        this.rsa = rsa;
    }

    Opened decrypt(Layer der, ASN1ObjectIdentifier type, WorkFiles work) throws SmimeException, IOException {
        boolean auth = CMSObjectIdentifiers.authEnvelopedData.equals(type);
        AlgorithmPolicy policy = null;
        SmimeProfile accepting = null;
        for (SmimeProfile p : profiles) {
            AlgorithmPolicy candidate = policies.get(p);
            if (candidate.envelopeContentTypes().contains(type.getId())) {
                policy = candidate;
                accepting = p;
                break;
            }
        }
        if (policy == null) {
            throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, (auth ? "AuthEnvelopedData"
                    : "EnvelopedData") + " is not accepted by the configured profile(s) " + profiles
                    + "; the sender uses another S/MIME profile");
        }
        List<RecipientId> candidates = new ArrayList<>();
        // every entry for a certificate, to name them if none is ours
        List<RecipientId> addressed = new ArrayList<>();
        RecipientId ownRid = null;
        DecryptionKey ownKey = null;
        RecipientInformation ownInfo = null;
        boolean cbc = false;
        // kept open when a RecipientInfo names our certificate: its content follows on this stream, so the
        // envelope is parsed once (decryptWith closes it); otherwise closed here
        Asn1Guard.Filter in = Asn1Guard.open(der, limits);
        boolean handedOver = false;
        try {
            RecipientInformationStore store;
            if (auth) {
                CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(in);
                checkCipher(policy, parser.getEncAlgOID());
                GCMParameters gcm;
                try {
                    gcm = GCMParameters.getInstance(parser.getEncAlgParams());
                } catch (RuntimeException e) {
                    throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, "The GCM parameters are damaged", e);
                }
                if (gcm.getIcvLen() < policy.minGcmTagBytes()) {
                    throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, "The GCM tag has "
                            + gcm.getIcvLen() * 8 + " bits; at least " + policy.minGcmTagBytes() * 8 + " are required");
                }
                store = parser.getRecipientInfos();
            } else {
                CMSEnvelopedDataParser parser = new CMSEnvelopedDataParser(in);
                checkCipher(policy, parser.getEncryptionAlgOID());
                cbc = AlgorithmPolicy.AES256_CBC.equals(parser.getEncryptionAlgOID());
                store = parser.getRecipientInfos();
            }
            if (store.size() > limits.maxRecipientInfos()) {
                throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message has " + store.size()
                        + " recipient entries, more than " + limits.maxRecipientInfos()
                        + " (limit maxRecipientInfos); it is refused");
            }
            int ownRank = Integer.MAX_VALUE;
            for (RecipientInformation r : store.getRecipients()) {
                // key transport (RSA) and key agreement (ECDH, KIM with ECC cards); other kinds are not ours
                RecipientId id = r.getRID();
                String refusal;
                if (r instanceof KeyTransRecipientInformation && id instanceof KeyTransRecipientId) {
                    // the algorithm and its parameters (RSA-OAEP hash, MGF1 hash, label)
                    refusal = KeyTransportCheck.refusal(policy, r.getKeyEncryptionAlgorithm());
                } else if (r instanceof KeyAgreeRecipientInformation kari && id instanceof KeyAgreeRecipientId) {
                    refusal = EcOperations.refusal(policy, kari);
                } else {
                    continue;
                }
                addressed.add(id);
                int rank = rankOf(id);
                if (rank >= 0) {
                    if (refusal != null) {
                        throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, refusal);
                    }
                    if (rank < ownRank) {
                        // several of our certificates named: the first configured (the current one) wins
                        ownRank = rank;
                        ownRid = id;
                        ownKey = keys.get(rank);
                    }
                } else if (refusal == null && keys.stream().anyMatch(k -> k.fits(id))) {
                    candidates.add(id);
                }
            }
            if (ownRid != null) {
                ownInfo = store.get(ownRid);
                handedOver = ownInfo != null;
            }
        } catch (CMSException | IOException | RuntimeException e) {
            in.guard().throwIfViolated();
            // Bouncy Castle reports malformed ASN.1 (unknown tag, bad length) as IOException
            DecryptionFailure reason = CmsStructures.classifyStructure(e);
            throw new SmimeDecryptionException(reason, reason == DecryptionFailure.TRUNCATED
                    ? DecryptionTexts.truncated("encrypted data") : DecryptionTexts.malformedStructure("encrypted data"), e);
        } finally {
            if (!handedOver) {
                in.close();
            }
        }
        if (ownRid != null) {
            return new Opened(decryptWith(der, handedOver ? in : null, ownInfo, auth, cbc, ownRid, ownKey, true, work),
                    accepting);
        }
        // No entry names a certificate of ours: trial decryption. With only a key, every entry (at most
        // maxRecipientInfos); with certificates, a few, since each trial costs an RSA private-key operation.
        boolean keyOnly = keys.stream().allMatch(k -> k.certificate() == null);
        int trials = keyOnly ? candidates.size() : Math.min(candidates.size(), SmimeReader.MAX_TRIALS_WITH_CERTIFICATE);
        boolean allTruncated = trials > 0;
        for (RecipientId rid : candidates.subList(0, trials)) {
            for (DecryptionKey key : keys) {
                if (!key.fits(rid)) {
                    continue;
                }
                try {
                    return new Opened(decryptWith(der, null, null, auth, cbc, rid, key, false, work), accepting);
                } catch (SmimeDecryptionException e) {
                    if (e.reason() == DecryptionFailure.LIMIT_EXCEEDED) {
                        // the envelope itself is over a limit: no other entry can make it acceptable
                        throw e;
                    }
                    allTruncated &= e.reason() == DecryptionFailure.TRUNCATED;
                }
            }
        }
        if (allTruncated) {
            throw new SmimeDecryptionException(DecryptionFailure.TRUNCATED, DecryptionTexts.truncated("encrypted data"));
        }
        throw new SmimeDecryptionException(DecryptionFailure.NO_MATCHING_RECIPIENT, DecryptionTexts.noMatchingRecipient(
                addressed, keys.stream().map(DecryptionKey::certificate).toList()));
    }

    /**
     * Index of our key whose certificate the RecipientInfo names and which can open its kind (0 = the current one),
     * or -1: a key agreement entry naming our RSA certificate is as foreign as before ECC support.
     */
    private int rankOf(RecipientId id) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).isNamedBy(id) && keys.get(i).fits(id)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkCipher(AlgorithmPolicy policy, String oid) throws SmimeDecryptionException {
        if (!policy.contentCiphers().contains(oid)) {
            throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED,
                    "Content cipher " + oid + " is not allowed by the profile");
        }
    }

    /**
     * Decrypts the content for one RecipientInfo into a temp file. With {@code ours} (the RecipientInfo names our
     * certificate) failures are classified precisely; in trial mode every failure means "not this one".
     * {@code parsed}, if not null, is the RecipientInfo already parsed from {@code parsedStream}, whose content
     * follows on that stream (closed here); else the envelope is parsed anew from {@code der}.
     */
    private Layer decryptWith(Layer der, Asn1Guard.Filter parsedStream, RecipientInformation parsed, boolean auth,
                              boolean cbc, RecipientId rid, DecryptionKey key, boolean ours, WorkFiles work)
            throws SmimeException, IOException {
        Layer.Target target;
        try {
            target = work.newLayer("dec-");
        } catch (IOException | RuntimeException e) {
            if (parsedStream != null) {
                parsedStream.close();
            }
            throw e;
        }
        PrivateKey privateKey = key.privateKey();
        boolean keyUnwrapped = false;
        boolean pkcs1 = false;
        Asn1Guard.Filter in = parsedStream != null ? parsedStream : Asn1Guard.open(der, limits);
        try (in) {
            RecipientInformation r = parsed != null ? parsed : (auth ? new CMSAuthEnvelopedDataParser(in).getRecipientInfos()
                    : new CMSEnvelopedDataParser(in).getRecipientInfos()).get(rid);
            pkcs1 = PKCSObjectIdentifiers.rsaEncryption.getId().equals(r.getKeyEncryptionAlgOID());
            // the key transport on the configured RSA provider (default BC), ECDH key agreement on BC; the AES-CBC
            // content on the JVM's AES (BulkCrypto), AES-GCM on BC
            Recipient recipient;
            if (r instanceof KeyAgreeRecipientInformation) {
                recipient = auth ? EcOperations.authEnvelopedRecipient(privateKey)
                        : EcOperations.envelopedRecipient(privateKey, cbc ? BulkCrypto.aesCbcProvider() : null);
            } else {
                recipient = auth ? rsa.authEnvelopedRecipient(privateKey)
                        : rsa.envelopedRecipient(privateKey, cbc ? BulkCrypto.aesCbcProvider() : null);
            }
            CMSTypedStream typed = r.getContentStream(recipient);
            keyUnwrapped = true;
            try (InputStream content = typed.getContentStream(); OutputStream os = target.open()) {
                if (!ours) {
                    // trial mode: a wrong RSA PKCS#1 v1.5 key yields a random content key, i.e. garbage; stop
                    // after the first KiB instead of decrypting a large message in vain
                    byte[] head = content.readNBytes(1024);
                    if (!looksLikeMime(head)) {
                        work.discard(target.layer());
                        throw new SmimeDecryptionException(DecryptionFailure.NO_MATCHING_RECIPIENT, "trial entry");
                    }
                    os.write(head);
                }
                content.transferTo(os);
            }
            if (in.guard().violation() != null) {
                work.discard(target.layer());
                throw violation(in.guard().violation(), ours && pkcs1);
            }
        } catch (CMSException | IOException | RuntimeException e) {
            work.discard(target.layer());
            if (in.guard().violation() != null) {
                // a structure over a limit or with impossible lengths (a property of the envelope, not of the key)
                throw violation(in.guard().violation(), ours && pkcs1);
            }
            DecryptionFailure reason = !keyUnwrapped ? (CmsStructures.isTruncation(e) ? DecryptionFailure.TRUNCATED
                    : DecryptionFailure.NO_MATCHING_RECIPIENT) : CmsStructures.classifyContent(e, auth);
            if (ours && pkcs1 && reason != DecryptionFailure.TRUNCATED) {
                // RSA PKCS#1 v1.5 (catalogue R08, Bleichenbacher): bad padding, a content key of the wrong length
                // and a wrong key (AES-CBC then fails) must look alike to whoever sent the message, or the outcome
                // is a padding oracle on our private key. One reason, one message, and no cause (it would name
                // the padding check that failed).
                throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, PKCS1_FAILURE);
            }
            // a trial's failure is never reported (the caller goes on to the next entry): no text to compose
            throw new SmimeDecryptionException(reason, ours ? describe(reason, key) : "trial entry", e);
        }
        return target.layer();
    }

    /**
     * The guard's finding in the content part of the envelope. With PKCS#1 v1.5 to our certificate it is reported as
     * every other failure there: a provider that refuses a bad padding stops before the content is read, so a finding
     * behind the content would otherwise tell the sender that the padding was right (catalogue R08).
     */
    private static SmimeDecryptionException violation(SmimeDecryptionException found, boolean uniform) {
        if (uniform && found.reason() != DecryptionFailure.TRUNCATED) {
            return new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, PKCS1_FAILURE);
        }
        return found;
    }

    /** The text of a failure of our own entry (it names {@code key}'s certificate). */
    private static String describe(DecryptionFailure reason, DecryptionKey key) {
        return switch (reason) {
            case NO_MATCHING_RECIPIENT -> DecryptionTexts.ownEntryDoesNotOpen(key.certificate());
            case TRUNCATED -> DecryptionTexts.truncated("encrypted content");
            case AUTHENTICATION_FAILED -> DecryptionTexts.tampered();
            default -> DecryptionTexts.contentDamaged();
        };
    }

    private static boolean looksLikeMime(byte[] head) {
        String s = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return s.contains("content-type:") || s.contains("mime-version:");
    }
}
