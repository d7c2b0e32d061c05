package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelkvconnect.component.rest.CertificateInfo;
import io.github.camelkvconnect.component.rest.KvConnectRestClient;

/**
 * Recipient certificates from the server ({@code GET certificates?email=}), cached for a configurable time. Absent
 * certificates are not cached, so a newly issued certificate is found at once.
 */
public final class CertificateCache {

    private final KvConnectRestClient client;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public CertificateCache(KvConnectRestClient client, Duration ttl, Clock clock) {
        this.client = client;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Optional<X509Certificate> find(String address) throws IOException {
        String key = address.toLowerCase(Locale.ROOT);
        Cached c = cache.get(key);
        Instant now = clock.instant();
        if (c != null && now.isBefore(c.expires)) {
            return Optional.of(c.certificate);
        }
        Optional<CertificateInfo> info = client.certificateByEmail(address);
        if (info.isPresent()) {
            cache.put(key, new Cached(info.get().certificate(), now.plus(ttl)));
            return Optional.of(info.get().certificate());
        }
        cache.remove(key);
        return Optional.empty();
    }

    public void invalidate(String address) {
        cache.remove(address.toLowerCase(Locale.ROOT));
    }

    private record Cached(X509Certificate certificate, Instant expires) {
    }
}
