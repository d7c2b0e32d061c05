package io.github.camelkvconnect.component.rest;

import java.security.cert.X509Certificate;

/**
 * A certificate as published by the server ({@code GET certificates?email=} or {@code ?uid=}).
 *
 * @param id          the server's id of the certificate resource (may be {@code null})
 * @param email       the account address the certificate belongs to
 * @param certificate the parsed X.509 certificate
 */
public record CertificateInfo(String id, String email, X509Certificate certificate) {
}
