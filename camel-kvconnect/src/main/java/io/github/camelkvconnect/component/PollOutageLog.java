package io.github.camelkvconnect.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.rest.KvConnectRestException;

/**
 * What the consumer logs while its polls fail (server down, server errors, refused credentials): one WARN when the
 * polls start failing or fail for another reason than before, one INFO when the server answers again, the failed polls
 * in between at DEBUG. Without it Camel logs every failed poll at WARN, naming the endpoint URI.
 * <p>
 * The lines name the account and the failure (the REST client's messages name host and port, never credentials), not
 * the endpoint URI.
 */
final class PollOutageLog {

    private static final Logger LOG = LoggerFactory.getLogger(KvConnectConsumer.class);

    private final String account;
    private final Clock clock;
    /** The kind of the failure in progress (type and HTTP status), or null while polls succeed. */
    private String kind;
    private Instant since;
    private int failedPolls;
    /** The failure most recently logged here, so that Camel's default exception handler does not log it again. */
    private Throwable lastFailure;

    PollOutageLog(String account, Clock clock) {
        this.account = account;
        this.clock = clock;
    }

    /** A poll ended with this failure. */
    synchronized void pollFailed(Throwable failure) {
        lastFailure = failure;
        String failureKind = kindOf(failure);
        if (failureKind.equals(kind)) {
            failedPolls++;
            LOG.debug("Polling KV-Connect account {} failed again ({} failed polls since {}): {}", account, failedPolls,
                    since, failure.getMessage());
            return;
        }
        if (kind == null) {
            since = clock.instant();
            failedPolls = 0;
        }
        failedPolls++;
        kind = failureKind;
        LOG.warn("Cannot poll KV-Connect account {}: {}. Nothing is deleted or lost; the consumer retries with backoff "
                 + "(backoffErrorThreshold/backoffMultiplier), logs further failures of this kind at DEBUG and at INFO "
                 + "when the server answers again",
                account, failure.getMessage());
    }

    /** The server answered a poll: ends a failure in progress. */
    synchronized void serverAnswered() {
        if (kind == null) {
            return;
        }
        Duration outage = Duration.between(since, clock.instant());
        LOG.info("KV-Connect account {} can be polled again, after {} failed poll(s) in {} s", account, failedPolls,
                outage.toSeconds());
        kind = null;
        since = null;
        failedPolls = 0;
        lastFailure = null;
    }

    private synchronized boolean alreadyLogged(Throwable failure) {
        return failure != null && failure == lastFailure;
    }

    private static String kindOf(Throwable failure) {
        int status = failure instanceof KvConnectRestException r ? r.getHttpResponseCode() : 0;
        return failure.getClass().getName() + "/" + status;
    }

    /**
     * Camel's default exception handler of the consumer, except that a failed poll already logged here goes to DEBUG:
     * one outage, one WARN. Used only when the application configured no exception handler of its own (nor
     * bridgeErrorHandler), whose choice is left alone.
     */
    ExceptionHandler quiet(ExceptionHandler delegate) {
        return new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handleException(null, null, exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handleException(message, null, exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                if (exchange == null && alreadyLogged(exception)) {
                    // Camel's text names the endpoint URI: left out
                    LOG.debug("Failed poll of KV-Connect account {} (reported before): {}", account, exception.toString());
                } else {
                    delegate.handleException(message, exchange, exception);
                }
            }
        };
    }
}
