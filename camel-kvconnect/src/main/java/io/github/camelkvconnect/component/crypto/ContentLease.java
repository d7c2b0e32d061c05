package io.github.camelkvconnect.component.crypto;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to read a received message's decrypted content, which lives in a temporary file behind an open stream.
 * Releasing it closes that stream once; afterwards readers can tell that the content is gone (and say so) instead of
 * failing with a bare "stream closed".
 */
public final class ContentLease implements Closeable {

    /** A lease on content that holds no resources. */
    public static ContentLease none() {
        return new ContentLease(() -> {
        });
    }

    private final Closeable resources;
    private final AtomicBoolean released = new AtomicBoolean();

    public ContentLease(Closeable resources) {
        this.resources = resources;
    }

    /** Whether the content was released and can no longer be read. */
    public boolean isReleased() {
        return released.get();
    }

    /** Closes the resources behind the content; only the first call does anything. */
    @Override
    public void close() throws IOException {
        if (released.compareAndSet(false, true)) {
            resources.close();
        }
    }
}
