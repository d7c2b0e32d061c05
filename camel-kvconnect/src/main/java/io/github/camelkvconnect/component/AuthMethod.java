package io.github.camelkvconnect.component;

/** How the REST client authenticates. */
public enum AuthMethod {
    /** HTTP BASIC with username and password on every request (KV-Connect's documented method). */
    basic,
    /** Bearer token from {@code POST sts/token}, reused until it expires (the emulator's token profile). */
    token
}
