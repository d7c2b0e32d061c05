package io.github.camelkvconnect.smime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import jakarta.mail.internet.InternetHeaders;

/**
 * Collects what each layer of a message says about its signature while the reader unwraps it, and combines the
 * layers into the message's {@link VerificationResult}: the worst layer wins ({@link VerificationResult#ofLayers}, by
 * {@link VerificationStatus#severity()}). The one place that decides how layers' results add up.
 * A layer begins with an encryption (EnvelopedData or AuthEnvelopedData) and holds the signatures met before the next
 * one; a signature outside every encryption counts towards the first layer. A layer without a signature of its own is
 * {@link VerificationStatus#UNSIGNED}, whatever the layers around it say: an enclosing signature only vouches for the
 * party that wrapped the content, not for its author. One instance per read; not thread-safe.
 */
final class LayerVerdicts {

    /** The results found in each layer so far, outermost first: signatures and findings about the layer. */
    private final List<List<VerificationResult>> layers = new ArrayList<>();
    private final List<VerificationResult> beforeFirstLayer = new ArrayList<>();
    private boolean unencryptedPart;

    /** An encryption layer was opened: what follows belongs to it. */
    void enterLayer() {
        List<VerificationResult> layer = new ArrayList<>();
        if (layers.isEmpty()) {
            layer.addAll(beforeFirstLayer);
            beforeFirstLayer.clear();
        }
        layers.add(layer);
    }

    /** The result of one signature (or SignedData) of the current layer. */
    void signature(VerificationResult result) {
        current().add(result);
    }

    /**
     * Replaces the current layer's last signature result, e.g. to check its signer against the From of the signed inner
     * mail once that is known. No signature yet: nothing happens.
     */
    void reviseLastSignature(UnaryOperator<VerificationResult> revision) {
        List<VerificationResult> layer = current();
        if (!layer.isEmpty()) {
            layer.set(layer.size() - 1, revision.apply(layer.get(layer.size() - 1)));
        }
    }

    /**
     * The signed content was a complete inner mail (KIM's message/rfc822): the current layer's signer is checked again
     * against its From, which the signature covers (the header integrity of KIM).
     */
    void recheckAddress(InternetHeaders signedHeaders, SmimeProfile profile) {
        // A mismatch found against the unsigned outer From does not count once the signed From is known (catalogue
        // R15: outer headers are never used for attribution). The address check is the signature's last one, so a
        // mismatch means everything before it passed.
        reviseLastSignature(v -> v.status() == VerificationStatus.SIGNER_ADDRESS_MISMATCH
                ? SignerAddressCheck.check(v.with(VerificationStatus.VALID, null), signedHeaders, profile)
                : SignerAddressCheck.recheck(v, signedHeaders, profile));
    }

    /**
     * A problem of the current layer as a whole (e.g. {@link VerificationStatus#HEADER_MISMATCH}), reported with the
     * signer of its last signature.
     */
    void finding(VerificationStatus status, String detail) {
        List<VerificationResult> layer = current();
        VerificationResult last = layer.isEmpty() ? VerificationResult.of(status, detail) : layer.get(layer.size() - 1);
        layer.add(last.with(status, detail));
    }

    /** The transport message holds parts outside the encryption: a finding of the outermost layer. */
    void unencryptedPart() {
        unencryptedPart = true;
    }

    /** Whether the current layer's last signature result is VALID (so far). */
    boolean lastSignatureIsValid() {
        List<VerificationResult> layer = current();
        return !layer.isEmpty() && layer.get(layer.size() - 1).isValid();
    }

    /**
     * The message's result.
     *
     * @param innermostContentType MIME type of the content the reader stopped at (the business entity), for the detail
     *                             of an unsigned innermost layer
     */
    VerificationResult result(String innermostContentType) {
        List<List<VerificationResult>> all = new ArrayList<>(layers);
        if (all.isEmpty()) {
            all.add(beforeFirstLayer);
        }
        List<VerificationResult> perLayer = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            List<VerificationResult> found = new ArrayList<>(all.get(i));
            if (found.isEmpty()) {
                found.add(VerificationResult.of(VerificationStatus.UNSIGNED, i + 1 < all.size()
                        ? "the layer carries no signature of its own (its content is the next encrypted layer)"
                        : "the content (" + innermostContentType + ") is not covered by a signature of its layer"));
            }
            if (i == 0 && unencryptedPart) {
                VerificationResult first = found.get(found.size() - 1);
                found.add(first.with(VerificationStatus.UNENCRYPTED_PART,
                        "the transport message holds parts outside the encryption"));
            }
            perLayer.add(worstOf(found));
        }
        return VerificationResult.ofLayers(perLayer);
    }

    /** The worst of one layer's results; among equals the last (innermost). */
    private static VerificationResult worstOf(List<VerificationResult> found) {
        VerificationResult worst = found.get(0);
        for (VerificationResult v : found) {
            if (v.status().severity() >= worst.status().severity()) {
                worst = v;
            }
        }
        return worst;
    }

    private List<VerificationResult> current() {
        return layers.isEmpty() ? beforeFirstLayer : layers.get(layers.size() - 1);
    }
}
