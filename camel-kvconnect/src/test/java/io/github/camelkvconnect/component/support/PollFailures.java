package io.github.camelkvconnect.component.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * A poll strategy ({@code pollStrategy=#name}) that records the exceptions that ended a poll, i.e. escaped the
 * consumer's {@code poll()}; otherwise it behaves like Camel's default (no retry, polling goes on).
 */
public final class PollFailures implements PollingConsumerPollStrategy {

    private final List<Exception> causes = new CopyOnWriteArrayList<>();

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to record
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        causes.add(cause);
        return false;
    }

    /** The exceptions that ended polls, oldest first. */
    public List<Exception> causes() {
        return List.copyOf(causes);
    }
}
