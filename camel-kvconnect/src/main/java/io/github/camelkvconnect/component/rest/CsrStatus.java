package io.github.camelkvconnect.component.rest;

import java.util.List;

/**
 * The processing state of a certificate signing request ({@code GET csr/{id}}): the status codes the server has
 * reported so far, in the order given (domain reference §3.3: 100..399 in progress, 999 done, 900..903 failed).
 *
 * @param codes all status codes reported
 */
public record CsrStatus(List<Integer> codes) {

    public CsrStatus {
        codes = List.copyOf(codes);
    }

    /** The most advanced code, i.e. the highest one reported. */
    public int latest() {
        return codes.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The CSR was processed and the certificate is available. */
    public boolean isCompleted() {
        return codes.contains(999);
    }

    /** The CSR failed for good (900 general error, 901 superseded, 902 rejected, 903 wrong subject). */
    public boolean isFailed() {
        return codes.stream().anyMatch(c -> c >= 900 && c < 999);
    }

    /** A human-readable explanation of a failure code. */
    public String failureReason() {
        int code = codes.stream().filter(c -> c >= 900 && c < 999).findFirst().orElse(0);
        return switch (code) {
            case 900 -> "900 general error (e.g. the CA is unreachable): try again later";
            case 901 -> "901 cancelled by a newer certificate signing request";
            case 902 -> "902 the certificate signing request was rejected";
            case 903 -> "903 wrong subject: the CSR subject must be x500UniqueIdentifier=<username>";
            default -> String.valueOf(code);
        };
    }
}
