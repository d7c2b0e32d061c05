package io.github.camelkvconnect.component.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;

/**
 * Camel's poll scheduler ({@code scheduler=#name}), polling every 100 ms, that records a {@link Throwable} escaping the
 * scheduled poll task and lets it go on to the executor, which then stops the periodic task: exactly what happens to a
 * consumer whose poll throws an {@link Error}.
 */
public final class ErrorCapturingScheduler extends DefaultScheduledPollConsumerScheduler {

    private final AtomicReference<Throwable> escaped = new AtomicReference<>();
    private final CountDownLatch escapedLatch = new CountDownLatch(1);

    public ErrorCapturingScheduler() {
        setInitialDelay(0);
        setDelay(100);
        setTimeUnit(TimeUnit.MILLISECONDS);
    }

    @Override
    public void scheduleTask(Runnable task) {
        super.scheduleTask(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                escaped.compareAndSet(null, e);
                escapedLatch.countDown();
                throw e;
            }
        });
    }

    /** The first throwable that escaped a poll task, waiting up to {@code seconds}; null if none did. */
    public Throwable awaitEscaped(long seconds) throws InterruptedException {
        escapedLatch.await(seconds, TimeUnit.SECONDS);
        return escaped.get();
    }
}
