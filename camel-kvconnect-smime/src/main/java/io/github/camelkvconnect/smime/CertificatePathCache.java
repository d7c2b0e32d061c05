package io.github.camelkvconnect.smime;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Certificate paths that PKIX has accepted, to be shared by the {@link SmimeReader}s and {@link SmimeWriter}s of one
 * application part (e.g. one endpoint that builds a reader per message). Each message's signer (reader) and each
 * recipient's and the sender's certificate (writer) would otherwise be validated anew: several RSA signature checks and
 * the PKIX machinery, more than the message's own RSA operation on a native provider.
 * <p>
 * Only acceptances without revocation checking are remembered. Without CRLs, PKIX's verdict on a path depends only on
 * the path, the trust anchors and the date, and on the date only through the certificates' validity periods. So an
 * entry is keyed by the path <em>and</em> the trust anchors it was validated against (other anchors: validated anew),
 * and it answers only for instants inside the validity of all the path's certificates (an expired certificate is
 * reported as such). A reader or writer with CRLs neither consults nor fills the cache: a path accepted before a CRL
 * listed one of its certificates must not stay accepted. At most {@value #MAX_PATHS} paths are kept, least recently
 * used out first.
 * <p>
 * Thread-safe. Pass one instance to {@link SmimeReader.Builder#pathCache} and {@link SmimeWriter.Builder#pathCache};
 * without it, each reader and writer has its own.
 */
public final class CertificatePathCache {

    /** Upper bound of remembered paths. */
    public static final int MAX_PATHS = 256;

    /** A path (leaf first, without the anchor) and the anchors PKIX accepted it against. */
    private record Key(List<X509Certificate> path, Set<X509Certificate> anchors) {
    }

    /** key -> {latest notBefore, earliest notAfter} of the path's certificates */
    private final Map<Key, long[]> paths = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, long[]> eldest) {
            return size() > MAX_PATHS;
        }
    };
    private long hits;

    /** An empty cache. */
    public CertificatePathCache() {
    }

    /** Whether PKIX accepted {@code path} against exactly {@code anchors}, and {@code at} lies in all certificates' validity. */
    synchronized boolean contains(List<X509Certificate> path, Collection<X509Certificate> anchors, Date at) {
        long[] window = paths.get(new Key(path, Set.copyOf(anchors)));
        boolean found = window != null && at.getTime() >= window[0] && at.getTime() <= window[1];
        if (found) {
            hits++;
        }
        return found;
    }

    /** Remembers that PKIX accepted {@code path} against {@code anchors} (without revocation checking). */
    synchronized void add(List<X509Certificate> path, Collection<X509Certificate> anchors) {
        long notBefore = Long.MIN_VALUE;
        long notAfter = Long.MAX_VALUE;
        for (X509Certificate c : path) {
            notBefore = Math.max(notBefore, c.getNotBefore().getTime());
            notAfter = Math.min(notAfter, c.getNotAfter().getTime());
        }
        paths.put(new Key(List.copyOf(path), Set.copyOf(anchors)), new long[] { notBefore, notAfter });
    }

    /** How many path validations were answered from this cache so far (for monitoring and tests). */
    public synchronized long hits() {
        return hits;
    }

    /** How many accepted paths are remembered now. */
    public synchronized int size() {
        return paths.size();
    }
}
