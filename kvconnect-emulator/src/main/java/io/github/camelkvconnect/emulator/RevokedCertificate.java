package io.github.camelkvconnect.emulator;

import java.math.BigInteger;
import java.time.Instant;

/**
 * An entry of a CA's revocation list.
 *
 * @param serialNumber   the revoked certificate's serial number
 * @param revocationDate when the CA revoked it
 * @param reason         why
 */
public record RevokedCertificate(BigInteger serialNumber, Instant revocationDate, RevocationReason reason) {
}
