package io.github.camelkvconnect.smime;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verification outcome of a received message, or of one of its layers.
 * <p>
 * A message's result ({@link DecryptedMessage#verification()}) is the worst of its layers' results by
 * {@link VerificationStatus#severity()}; among equally bad layers the innermost counts (the one closest to the
 * business content, e.g. the author's signature rather than a gateway's). {@link #layers()} holds every layer's own
 * result, outermost first: one per encryption layer, each with the status of the signature(s) inside that layer.
 *
 * @param status        VALID or the reason
 * @param signerAddress the e-mail address in the signer certificate (SAN rfc822Name or subject emailAddress), or null
 * @param signer        the signer certificate, or null if there was none
 * @param detail        a human-readable explanation without secrets, or null when VALID
 * @param layers        a message's result: each layer's own result, outermost first (their own {@code layers} are
 *                      empty); a layer's result: empty
 */
public record VerificationResult(VerificationStatus status, String signerAddress, X509Certificate signer, String detail,
                                 List<VerificationResult> layers) {

    public VerificationResult {
        layers = List.copyOf(layers);
    }

    /** A result without layers (the result of one layer or one signature). */
    public VerificationResult(VerificationStatus status, String signerAddress, X509Certificate signer, String detail) {
        this(status, signerAddress, signer, detail, List.of());
    }

    public boolean isValid() {
        return status == VerificationStatus.VALID;
    }

    public Optional<X509Certificate> signerCertificate() {
        return Optional.ofNullable(signer);
    }

    /** The status of every layer, outermost first (empty for a layer's own result). */
    public List<VerificationStatus> layerStatuses() {
        List<VerificationStatus> result = new ArrayList<>(layers.size());
        for (VerificationResult layer : layers) {
            result.add(layer.status());
        }
        return List.copyOf(result);
    }

    /**
     * A message's result from its layers' results (outermost first, at least one): the worst layer's status, signer
     * and detail, the innermost of equally bad layers; the detail names the layer when there are several.
     */
    public static VerificationResult ofLayers(List<VerificationResult> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one layer");
        }
        int worst = 0;
        for (int i = 1; i < layers.size(); i++) {
            // ties go to the inner layer: >= rather than >
            if (layers.get(i).status().severity() >= layers.get(worst).status().severity()) {
                worst = i;
            }
        }
        VerificationResult w = layers.get(worst);
        String detail = w.detail();
        if (detail != null && layers.size() > 1) {
            detail = "layer " + (worst + 1) + " of " + layers.size() + ": " + detail;
        }
        return new VerificationResult(w.status(), w.signerAddress(), w.signer(), detail, layers);
    }

    static VerificationResult of(VerificationStatus status, String detail) {
        return new VerificationResult(status, null, null, detail);
    }

    /** This result with another status and detail, same signer (e.g. a finding about the layer as a whole). */
    VerificationResult with(VerificationStatus newStatus, String newDetail) {
        return new VerificationResult(newStatus, signerAddress, signer, newDetail, layers);
    }
}
