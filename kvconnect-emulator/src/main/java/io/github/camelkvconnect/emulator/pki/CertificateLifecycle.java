package io.github.camelkvconnect.emulator.pki;

import java.security.PublicKey;
import java.security.cert.X509Certificate;

import io.github.camelkvconnect.emulator.RevocationReason;
import io.github.camelkvconnect.emulator.RevokedCertificate;
import io.github.camelkvconnect.emulator.directory.EmulatorDirectory;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;

/**
 * Issuing, publishing, revoking and deleting user certificates: one place for the CSR flow and the admin shortcut, so both
 * behave the same. A new certificate replaces the old one on the account and in the directory.
 */
public final class CertificateLifecycle {

    private final EmulatorPki pki;
    private final AccountRegistry accounts;
    private final EmulatorDirectory directory;

    /**
     * @param pki the CAs
     * @param accounts the accounts
     * @param directory the LDAP directory
     */
    public CertificateLifecycle(EmulatorPki pki, AccountRegistry accounts, EmulatorDirectory directory) {
        this.pki = pki;
        this.accounts = accounts;
        this.directory = directory;
    }

    /** Issues a certificate for the key and makes it the account's current one (CSR status 299). */
    public X509Certificate issue(AccountRecord account, PublicKey key) {
        X509Certificate certificate = pki.issueUserCertificate(account.uid(), account.masterData(), key);
        accounts.certificate(account, certificate);
        return certificate;
    }

    /** Publishes the account's current certificate in the directory (CSR status 399). */
    public void publish(AccountRecord account) {
        account.certificate().ifPresent(cert -> directory.publish(account, cert));
    }

    /** Issues and publishes at once. */
    public X509Certificate issueAndPublish(AccountRecord account, PublicKey key) {
        X509Certificate certificate = issue(account, key);
        directory.publish(account, certificate);
        return certificate;
    }

    /**
     * Puts a certificate of the User CA on its CRL and issues a new CRL. The certificate stays where it is (account,
     * directory): relying parties have to find out through the CRL, which is what revocation tests exercise.
     *
     * @param certificate the certificate
     * @param reason      why
     * @return the CRL entry (the first one if the certificate was already revoked)
     * @throws IllegalArgumentException if the User CA did not issue the certificate
     */
    public RevokedCertificate revoke(X509Certificate certificate, RevocationReason reason) {
        if (!pki.issuedByUserCa(certificate)) {
            throw new IllegalArgumentException("the certificate " + certificate.getSubjectX500Principal()
                    + " (serial " + certificate.getSerialNumber().toString(16) + ") was not issued by this emulator's"
                    + " User CA; only its own certificates can be revoked");
        }
        return pki.userCaRevocations().revoke(certificate.getSerialNumber(), reason);
    }

    /** @return whether the account had a certificate, which is now deleted and withdrawn from the directory */
    public boolean delete(AccountRecord account) {
        if (account.certificate().isEmpty()) {
            return false;
        }
        accounts.certificate(account, null);
        directory.withdraw(account.username());
        return true;
    }
}
