package io.github.camelkvconnect.component.rest;

/**
 * A message downloaded by {@link KvConnectRestClient#fetchMail} into the file the caller named.
 *
 * @param size   its length in bytes
 * @param sha256 the hex-encoded (lower case) SHA-256 of its bytes as stored on the server, computed while downloading so
 *               that the file need not be read again
 */
public record DownloadedMail(long size, String sha256) {
}
