package io.github.camelkvconnect.component.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a response body to a file with a size cap and an idle timeout. The HTTP client's request timeout only covers
 * the wait for the response headers; a server (or network path) that stops sending in the middle of a body would
 * otherwise block the consumer forever. A watchdog closes the body stream when no byte arrived for the idle time.
 */
final class BoundedDownload {

    /** One daemon thread for all downloads: it only checks time stamps and closes stalled streams. */
    private static final class Watchdog {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kvconnect-download-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /** Thrown when the body stalled; the caller names the request. */
    static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(String message) {
            super(message);
        }
    }

    private BoundedDownload() {
    }

    /**
     * @return the length and the SHA-256 of the bytes written (hashed on the way, not read again)
     * @throws MessageTooLargeException if the body exceeds {@code maxBytes} (the copy stops there)
     * @throws StalledException         if no byte arrived for {@code idle}
     */
    static DownloadedMail copy(InputStream body, Path target, long maxBytes, Duration idle, String what) throws IOException {
        MessageDigest sha256 = sha256();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long idleNanos = idle.toNanos();
        long period = Math.max(10, idle.toMillis() / 4);
        ScheduledFuture<?> watch = Watchdog.INSTANCE.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > idleNanos && stalled.compareAndSet(false, true)) {
                try {
                    body.close();
                } catch (IOException | RuntimeException ignore) {
                    // the reader sees the end or an error either way
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new MessageTooLargeException(what, maxBytes, "stopped after " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
                sha256.update(buffer, 0, n);
                lastProgress.set(System.nanoTime());
            }
        } catch (IOException e) {
            if (stalled.get() && !(e instanceof MessageTooLargeException)) {
                throw stalled(idle, total);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        // a closed stream may simply end: the watchdog's verdict decides
        if (stalled.get()) {
            throw stalled(idle, total);
        }
        return new DownloadedMail(total, HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static StalledException stalled(Duration idle, long received) {
        return new StalledException("no data for " + idle.toMillis() + " ms during the download (readTimeout) after "
                                    + received + " bytes");
    }
}
