package io.github.camelkvconnect.smime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One or more recipient certificates (or the sender's own) are missing or unusable, so the message cannot be
 * encrypted for everybody. Lists EVERY such address with the reason; nothing was written.
 */
public class CertificateProblemsException extends SmimeException {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> problems;

    public CertificateProblemsException(Map<String, String> problems) {
        super("No usable encryption certificate for " + problems.size() + " address(es): "
              + problems.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                      .collect(Collectors.joining(", "))
              + ". Ask the recipients to renew their certificates or correct the addresses; nothing was sent.");
        this.problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    /**
     * Address to the reason its certificate cannot be used (missing, expired, no keyEncipherment, RSA < 2048, untrusted;
     * for an EC certificate under KIM: no keyAgreement, curve not allowed).
     */
    public Map<String, String> problems() {
        return problems;
    }
}
