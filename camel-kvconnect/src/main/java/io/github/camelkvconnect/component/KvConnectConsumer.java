package io.github.camelkvconnect.component;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.support.BridgeExceptionHandlerToErrorHandler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.crypto.DecryptionFailedException;
import io.github.camelkvconnect.component.crypto.ReceivedMessage;
import io.github.camelkvconnect.component.health.KvConnectConsumerHealthCheck;
import io.github.camelkvconnect.component.mime.InboundMapper;
import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.component.rest.DownloadedMail;
import io.github.camelkvconnect.component.rest.KvConnectServerUnreachableException;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.component.state.AccountLock;
import io.github.camelkvconnect.component.state.DeliveredRecords;
import io.github.camelkvconnect.component.state.FailureLedger;
import io.github.camelkvconnect.component.state.LegacyWorkLeftovers;
import io.github.camelkvconnect.component.state.PendingReceipts;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.state.WorkDirectories;

/**
 * Polls the account's mailbox: lists the waiting messages (oldest first), fetches, decrypts and verifies each one and
 * hands it to the route. A message is deleted on the server only after its exchange completed successfully.
 * <p>
 * Durability rules:
 * <ul>
 * <li>a failed exchange, and by default also a failure handled by an error handler, leaves the message on the
 * server;</li>
 * <li>a message that cannot be decrypted (or is rejected for its signature) stays on the server, is handed to the
 * route's error handler as a failed exchange and recorded in the {@link FailureLedger} so that it is retried with a growing delay, or at once
 * after a keystore change;</li>
 * <li>before deleting, the message is recorded in the idempotent repository; a message found there (delete failed,
 * or crash before the delete) is not delivered again, only its delete is retried;</li>
 * <li>a requested Eingangsbestaetigung (receipt) is recorded in the account's {@link PendingReceipts} before that, and
 * sent from there until the server accepted it ({@link ReceiptDelivery}): a failed POST or a crash never loses it.</li>
 * </ul>
 * Isolation: nothing one message does (any exception or {@link Error}, an {@link OutOfMemoryError} included) ends the
 * polling. After {@code quarantineAfterAttempts} failed attempts to read it, a message is quarantined: kept on the
 * server, no longer fetched, announced once (ERROR line and a failed exchange marked
 * {@link KvConnectConstants#QUARANTINED}) and listed by the health check.
 */
public class KvConnectConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KvConnectConsumer.class);

    private IdempotentRepository idempotentRepository;
    private FailureLedger ledger;
    private List<Pattern> dienstkennungPatterns = List.of();
    private KvConnectConsumerHealthCheck healthCheck;
    private HealthCheckRegistry healthCheckRegistry;
    private final MdnSender mdnSender;
    private ReceiptDelivery receipts;
    private ExceptionHandler messageFailureHandler;
    private AccountLock accountLock;
    private final PollOutageLog outageLog;
    /** At most this many WARN lines per minute for failed messages; the rest at DEBUG (see FailureLogLimit). */
    static final int FAILURE_WARNINGS_PER_MINUTE = 10;
    private final FailureLogLimit failureLogLimit
            = new FailureLogLimit(FAILURE_WARNINGS_PER_MINUTE, Duration.ofMinutes(1), Clock.systemUTC());

    public KvConnectConsumer(KvConnectEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.mdnSender = new MdnSender(endpoint);
        this.outageLog = new PollOutageLog(endpoint.getAddress(), Clock.systemUTC());
    }

    @Override
    public KvConnectEndpoint getEndpoint() {
        return (KvConnectEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        KvConnectEndpoint endpoint = getEndpoint();
        KvConnectConfiguration c = endpoint.getConfiguration();
        if (endpoint.revocationLists().isConfigured()) {
            // A missing or broken CRL file fails the start (KvConnectCrlException naming the file) instead of
            // silently receiving without the revocation check the operator asked for.
            endpoint.revocationLists().load();
        }
        Path state = endpoint.stateDirectory();
        Files.createDirectories(state);
        // Exclusive per account and state directory: only then may the receive directory be cleaned.
        accountLock = AccountLock.acquire(state, endpoint.getAddress());
        try {
            startLocked(endpoint, c, state);
            super.doStart();
        } catch (Exception | Error e) {
            accountLock.close();
            accountLock = null;
            throw e;
        }
    }

    private void startLocked(KvConnectEndpoint endpoint, KvConnectConfiguration c, Path state) throws Exception {
        // Leftovers of a crash may hold decrypted content: remove them, but only this account's receive directory,
        // never what other endpoints sharing the state directory have in flight.
        WorkDirectories.clean(endpoint.receiveWorkDirectory());
        // Earlier versions received in <stateDirectory>/work/msg-*, which nothing cleans any more.
        LegacyWorkLeftovers.remove(state);
        idempotentRepository = c.getIdempotentRepository();
        if (idempotentRepository == null) {
            idempotentRepository = new DeliveredRecords(
                    state.resolve(StateFiles.accountFileName(endpoint.getAddress(), ".delivered")), 10000);
        }
        ServiceHelper.startService(idempotentRepository);
        ledger = new FailureLedger(ledgerFile(),
                Duration.ofMillis(c.getFailureBackoff()), Duration.ofMillis(c.getFailureBackoffMax()), endpoint.clock());
        receipts = new ReceiptDelivery(endpoint, new PendingReceipts(
                state.resolve(StateFiles.accountFileName(endpoint.getAddress(), ".receipts")),
                Duration.ofMillis(c.getReceiptRetryBackoff()), Duration.ofMillis(c.getReceiptRetryBackoffMax()),
                endpoint.clock()), mdnSender);
        dienstkennungPatterns = patterns(c.getDienstkennungFilter());
        messageFailureHandler = new BridgeExceptionHandlerToErrorHandler(this);
        if (getExceptionHandler() instanceof LoggingExceptionHandler camelDefault) {
            setExceptionHandler(outageLog.quiet(camelDefault));
        }
        if (endpoint.getComponent().isHealthCheckConsumerEnabled()) {
            // Health checks are optional: register only if the application enabled a registry.
            healthCheckRegistry = HealthCheckRegistry.get(endpoint.getCamelContext());
            if (healthCheckRegistry != null) {
                healthCheck = new KvConnectConsumerHealthCheck(endpoint, getRouteId());
                healthCheck.setCamelContext(endpoint.getCamelContext());
                healthCheck.setQuarantinedMessages(() -> ledger.quarantined(endpoint.credentials().fingerprint()));
                healthCheckRegistry.register(healthCheck);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRegistry != null && healthCheck != null) {
            healthCheckRegistry.unregister(healthCheck);
        }
        super.doStop();
        if (getEndpoint().getConfiguration().getIdempotentRepository() == null) {
            ServiceHelper.stopService(idempotentRepository);
        }
        if (accountLock != null) {
            accountLock.close();
            accountLock = null;
        }
    }

    /** The failure ledger of this account: {@code <stateDirectory>/<account>.failures}. */
    private Path ledgerFile() {
        return getEndpoint().stateDirectory().resolve(StateFiles.accountFileName(getEndpoint().getAddress(), ".failures"));
    }

    static List<Pattern> patterns(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        List<Pattern> result = new ArrayList<>();
        for (String glob : filter.split(",")) {
            String g = glob.strip();
            if (g.isEmpty()) {
                continue;
            }
            List<String> pieces = new ArrayList<>();
            for (String piece : g.split("\\*", -1)) {
                pieces.add(piece.isEmpty() ? "" : Pattern.quote(piece));
            }
            String r = String.join(".*", pieces);
            result.add(Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
        }
        return result;
    }

    boolean matchesFilter(MailHeader header) {
        if (dienstkennungPatterns.isEmpty()) {
            return true;
        }
        String dk = header.dienstkennung();
        if (dk == null) {
            return false;
        }
        return dienstkennungPatterns.stream().anyMatch(p -> p.matcher(dk.strip()).matches());
    }

    /** Idempotency key: account, Message-ID and the SHA-256 of the message as stored on the server. */
    private String key(String messageId, String contentHash) {
        return getEndpoint().getAddress().toLowerCase(Locale.ROOT) + "|" + messageId + "|" + contentHash;
    }

    @Override
    protected int poll() throws Exception {
        shutdownRunningTask = null;
        pendingExchanges = 0;
        KvConnectEndpoint endpoint = getEndpoint();
        // Receipts promised earlier (failed POST, crash) go first; the first poll after a start sends them all.
        receipts.sendDue();
        List<MailHeader> headers;
        try {
            headers = endpoint.restClient().listHeaders(endpoint.accountUid());
        } catch (Exception e) {
            pollFailed(e);
            throw e;
        }
        outageLog.serverAnswered();
        forceConsumerAsReady();

        Set<String> listed = new HashSet<>();
        for (MailHeader h : headers) {
            if (h.messageId() != null) {
                listed.add(h.messageId());
            }
        }
        ledger.retainOnly(listed);

        String fingerprint = endpoint.credentials().fingerprint();
        Queue<Object> batch = new ArrayDeque<>();
        for (MailHeader h : headers) {
            String id = h.messageId();
            if (id == null || id.isBlank() || !matchesFilter(h)) {
                continue;
            }
            if (!ledger.isDue(id, fingerprint)) {
                continue;
            }
            batch.add(h);
            if (maxMessagesPerPoll > 0 && batch.size() >= maxMessagesPerPoll) {
                break;
            }
        }
        return processBatch(batch);
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        int total = exchanges.size();
        int index = 0;
        String uid = getEndpoint().accountUid();
        while (!exchanges.isEmpty() && isBatchAllowed()) {
            MailHeader header = (MailHeader) exchanges.poll();
            pendingExchanges = total - index - 1;
            try {
                receive(uid, header, index, total);
            } catch (InterruptedIOException e) {
                // stopping: the message stays on the server and is read on the next start
                throw e;
            } catch (KvConnectServerUnreachableException e) {
                // not this message's fault (the REST client classified it): end the poll, the next one retries all messages
                pollFailed(e);
                throw e;
            } catch (IOException e) {
                messageFailedSafely(header, "PROCESSING", new KvConnectMessageException(header.messageId(), header.from(),
                        "Cannot process KV-Connect message " + header.displayMessageId() + " (" + e.getMessage()
                                                                  + "); it stays on the server and is retried after the failure backoff",
                        e));
            } catch (KvConnectFetchException e) {
                messageFailedSafely(header, "FETCH", e);
            } catch (StackOverflowError e) {
                // a property of the message (e.g. deeply nested structures), not of the JVM: the stack has unwound
                messageFailedSafely(header, "PROCESSING", processingFailure(header, e));
            } catch (VirtualMachineError e) {
                // Caught on purpose (docs: "Isolation per message"): an OutOfMemoryError while one message is read is
                // almost always that message's (a hostile structure), and what it allocated is garbage now that the
                // stack has unwound. Rethrown, it would end the scheduled polling for good. The message is recorded
                // (backoff, then quarantine); the rest of the batch waits for the next poll, so a JVM short of memory
                // for other reasons is not pushed on at once.
                LOG.error("{} while reading KV-Connect message {}; it stays on the server, the poll ends here and the "
                          + "next poll continues with the other messages",
                        e.getClass().getName(), header.displayMessageId());
                messageFailedSafely(header, "PROCESSING", processingFailure(header, e));
                break;
            } catch (Throwable e) {
                // One bad message must not end the poll: an exception or error escaping poll() would stop the
                // scheduled polling (Camel cancels the task) and, oldest first, block every message behind this one.
                messageFailedSafely(header, "PROCESSING", processingFailure(header, e));
            }
            index++;
        }
        return total;
    }

    private static KvConnectMessageException processingFailure(MailHeader header, Throwable e) {
        return new KvConnectMessageException(header.messageId(), header.from(), "Cannot process KV-Connect message "
                                                                                + header.displayMessageId() + " ("
                                                                                + e.getClass().getSimpleName()
                                                                                + "); it stays on the server and is retried "
                                                                                + "after the failure backoff",
                e instanceof Error ? null : e);
    }

    /**
     * A message that failed before it reached the route: it stays on the server, waits in the ledger (growing backoff)
     * and is reported to the error handler; the poll continues with the next message.
     */
    private void messageFailed(MailHeader header, String reason, KvConnectMessageException failure) {
        KvConnectEndpoint endpoint = getEndpoint();
        endpoint.getStatistics().incKeptOnServer();
        ReadFailure recorded = recordReadFailure(header.messageId(), reason);
        reportFailure(header, failure, "KV-Connect message " + header.displayMessageId() + " failed (" + reason + ", attempt "
                                       + recorded.attempts() + "); it stays on the server",
                recorded);
    }

    /**
     * {@link #messageFailed}, and a failure of that reporting (e.g. the error handler throwing, or an Error when memory
     * is still short) is logged instead of ending the poll: the message is in the ledger before it is reported.
     */
    private void messageFailedSafely(MailHeader header, String reason, KvConnectMessageException failure) {
        try {
            messageFailed(header, reason, failure);
        } catch (Throwable e) {
            LOG.error("Cannot report the failure of KV-Connect message {} ({}); it stays on the server",
                    header.displayMessageId(), e.getClass().getName());
        }
    }

    /** The ledger's count after a failure to read a message, and whether that failure quarantined it. */
    private record ReadFailure(int attempts, boolean quarantined) {
    }

    /**
     * Records a failed attempt to read a message (not a failure of the route's own processing); the attempt that
     * reaches quarantineAfterAttempts quarantines it.
     */
    private ReadFailure recordReadFailure(String messageId, String reason) {
        KvConnectEndpoint endpoint = getEndpoint();
        int attempts = ledger.recordFailure(messageId, endpoint.credentials().fingerprint(), reason);
        int limit = endpoint.getConfiguration().getQuarantineAfterAttempts();
        return new ReadFailure(attempts, limit > 0 && attempts >= limit && ledger.quarantine(messageId));
    }

    /** A poll ended early: logged once per outage (Camel's own line for it is quieted, see PollOutageLog). */
    private void pollFailed(Exception e) {
        if (isRunAllowed()) {
            outageLog.pollFailed(e);
        }
    }

    private void receive(String uid, MailHeader header, int index, int total) throws Exception {
        KvConnectEndpoint endpoint = getEndpoint();
        String id = header.messageId();
        // for log lines and exception texts only: the raw id addresses the message on the server
        String shownId = header.displayMessageId();
        // One work directory per message: the raw download and every decrypted part; removed when the exchange is done.
        Path messageWork = Files.createTempDirectory(endpoint.receiveWorkDirectory(), "msg-");
        ReceivedMessage received = null;
        boolean handedOver = false;
        try {
            Path raw = TempFiles.create(messageWork, "in-", ".eml");
            Optional<DownloadedMail> downloaded;
            try {
                downloaded = endpoint.restClient().fetchMail(uid, id, raw, endpoint.getConfiguration().getMaxMessageSize());
            } catch (InterruptedIOException | KvConnectServerUnreachableException e) {
                // stopping, or the server is down: no fault of this message, it is not recorded as failed
                throw e;
            } catch (IOException e) {
                throw new KvConnectFetchException(id, header.from(), e);
            }
            if (downloaded.isEmpty()) {
                LOG.debug("Message {} disappeared from the server before it could be fetched", shownId);
                return;
            }
            // The Message-ID is chosen by the sender; together with the content hash it cannot make us skip another
            // message. The hash was computed during the download: the file is not read an extra time.
            String key = key(id, downloaded.get().sha256());
            if (idempotentRepository.contains(key)) {
                // Delivered before, but the delete failed or the process stopped before it: only delete now.
                LOG.debug("Message {} was delivered before; retrying its delete on the server", shownId);
                deleteOnServer(uid, id, null);
                return;
            }
            received = decryptAndCheck(header, raw, messageWork);
            if (received == null) {
                return;
            }
            Exchange exchange = createExchange(received, header, raw, index, total);
            if (exchange == null) {
                return;
            }
            // From here the on-completion owns the decrypted message and the work directory.
            exchange.getExchangeExtension().addOnCompletion(new OnCompletion(uid, id, key, header, messageWork, received));
            RouteEntries routeEntries = new RouteEntries();
            exchange.getExchangeExtension().addOnCompletion(routeEntries);
            handedOver = true;
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            } catch (Error e) {
                completeAfterError(exchange, e, received, messageWork, routeEntries);
                throw e; // processBatch records it in the ledger (backoff, quarantine) and polling goes on
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing KV-Connect message " + shownId, exchange,
                        exchange.getException());
            }
        } finally {
            if (!handedOver) {
                release(received, messageWork);
            }
        }
    }

    /**
     * Finishes what Camel leaves undone when an {@link Error} (e.g. an OutOfMemoryError) is thrown through the route:
     * the routing engine then skips the exchange's completion, so its unit of work is never done (the on-completion,
     * which releases the decrypted message and deletes its work directory, never runs) and the exchange stays
     * registered as in flight (stopping the route would wait for it until the shutdown timeout). Here the exchange is
     * marked failed, its unit of work is done (the on-completion runs as a failure: the message stays on the server),
     * the in-flight entries this exchange made for routes it had entered are removed (only those: an Error thrown
     * before the route counted the exchange, e.g. by a route policy, must not uncount another exchange of the route),
     * and the decrypted files are released in any case. Nothing of this may
     * replace the Error, which the caller rethrows: a failure here is attached to it as suppressed.
     */
    private void completeAfterError(Exchange exchange, Error error, ReceivedMessage received, Path messageWork,
                                    RouteEntries routeEntries) {
        try {
            exchange.setException(error);
            // Camel keeps the completion tasks the Error skipped queued in this thread's reactive executor; left there,
            // they would complete this exchange a second time (in-flight counts off by one) when the next exchange is
            // routed on this thread, and polling goes on. An empty task runs them now.
            getEndpoint().getCamelContext().getCamelContextExtension().getReactiveExecutor().scheduleMain(() -> {
            });
            UnitOfWork unitOfWork = routeEntries.completed() ? null : exchange.getUnitOfWork();
            if (unitOfWork != null) {
                // Each route counts the exchange as in flight when it enters and would uncount it when it leaves: that
                // did not happen for the routes still entered (ours, and e.g. a direct: route it called).
                InflightRepository inflight = getEndpoint().getCamelContext().getInflightRepository();
                for (String routeId : routeEntries.notLeft()) {
                    inflight.remove(exchange, routeId);
                }
                // runs the on-completion and unregisters the exchange from the context's in-flight exchanges
                unitOfWork.done(exchange);
            }
        } catch (Throwable e) {
            error.addSuppressed(e);
        } finally {
            // without a unit of work the on-completion never ran; after it ran, releasing again does nothing
            release(received, messageWork);
        }
    }

    /**
     * Closes the decrypted message (its open stream on the decrypted file; deleting the file alone would keep the
     * handle and the disk space until a garbage collection), then removes the message's work directory.
     */
    private static void release(ReceivedMessage received, Path messageWork) {
        try {
            if (received != null) {
                received.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot close the decrypted message in {}: {}", messageWork, e.getMessage());
        } finally {
            TempFiles.deleteRecursively(messageWork);
        }
    }

    /**
     * Decrypts and verifies one message. Any failure to read it (wrong key, corrupt or malformed data), and a bad
     * signature under {@code signaturePolicy=reject}, is handled alike: the message stays on the server, waits in the
     * ledger, goes to the error handler, and the other messages keep flowing. Returns null in those cases.
     */
    private ReceivedMessage decryptAndCheck(MailHeader header, Path raw, Path messageWork) {
        KvConnectEndpoint endpoint = getEndpoint();
        String id = header.messageId();
        String shownId = header.displayMessageId();
        ReceivedMessage received;
        try {
            received = endpoint.crypto().decryptAndVerify(raw, messageWork);
        } catch (Exception e) {
            String reason = e instanceof DecryptionFailedException d ? d.getReason() : "UNREADABLE";
            endpoint.getStatistics().incDecryptFailures();
            endpoint.getStatistics().incKeptOnServer();
            ReadFailure recorded = recordReadFailure(id, "DECRYPT_" + reason);
            reportFailure(header, new KvConnectDecryptionException(id, header.from(), reason, e),
                    "Cannot decrypt message " + shownId + " (attempt " + recorded.attempts() + "); it stays on the server",
                    recorded);
            return null;
        }
        if (!received.signatureValid()) {
            endpoint.getStatistics().incBadSignatures();
            if (endpoint.getConfiguration().getSignaturePolicy() == SignaturePolicy.reject) {
                endpoint.getStatistics().incKeptOnServer();
                ReadFailure recorded = recordReadFailure(id, "SIGNATURE_" + received.signatureStatus());
                release(received, null);
                reportFailure(header, new KvConnectSignatureException(id, header.from(), received.signatureStatus(),
                        received.signatureDetail()), "Rejected message " + shownId + " for its signature; it stays on the server",
                        recorded);
                return null;
            }
            LOG.warn("Message {} from {} has an invalid signature ({}): delivering it with signature headers "
                     + "(signaturePolicy=warn)",
                    shownId, header.displayFrom(), received.signatureStatus());
        }
        // The failure record (if any) stays until the message is deleted: an Error in the route still counts towards
        // the quarantine.
        return received;
    }

    /** The exchange for a decrypted message, or null (reported) if its content cannot be mapped. */
    private Exchange createExchange(ReceivedMessage received, MailHeader header, Path raw, int index, int total)
            throws IOException {
        KvConnectEndpoint endpoint = getEndpoint();
        String id = header.messageId();
        String shownId = header.displayMessageId();
        Exchange exchange = createExchange(false);
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
        try {
            InboundMapper.map(received, endpoint.getAddress(), endpoint.getConfiguration().getMaxTextHeaderSize(), exchange);
        } catch (Exception e) {
            releaseExchange(exchange, false);
            endpoint.getStatistics().incKeptOnServer();
            ReadFailure recorded = recordReadFailure(id, "MALFORMED");
            // Only the exception's type, and no cause: Jakarta Mail's parse errors and Angus' base64 decoder quote
            // pieces of the decrypted content in their messages, which must not reach logs or dead letter channels.
            reportFailure(header, new KvConnectMessageException(id, header.from(),
                    "The decrypted KV-Connect message " + shownId + " has a malformed MIME structure ("
                                                                   + e.getClass().getSimpleName()
                                                                   + "); it stays on the server",
                    null), "Malformed message " + shownId, recorded);
            return null;
        }
        // The server's header list names the message; keep that id even if the signed content differs.
        exchange.getIn().setHeader(KvConnectConstants.MESSAGE_ID, id);
        exchange.getIn().setHeader(KvConnectConstants.RECEIPT_STATE, mdnSender.decide(header, received).value());
        if (endpoint.getConfiguration().isIncludeRawMessage()) {
            // The downloaded file itself, not its bytes: a large message is never loaded. It lives in the message's work
            // directory and is deleted with the decrypted content when the exchange completes.
            exchange.getIn().setHeader(KvConnectConstants.RAW_MESSAGE, raw);
        }
        return exchange;
    }

    /**
     * Hands a message that cannot be delivered (decryption failed, signature rejected) to the route's error handler as a
     * failed exchange carrying its routing headers, so that onException or a dead letter channel sees it. Whatever the
     * error handler does, the message stays on the server.
     */
    private void reportFailure(MailHeader header, Exception failure, String logMessage, ReadFailure recorded) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setHeader(KvConnectConstants.ACCOUNT, getEndpoint().getAddress());
        exchange.getIn().setHeader(KvConnectConstants.MESSAGE_ID, header.messageId());
        if (header.from() != null) {
            exchange.getIn().setHeader(KvConnectConstants.FROM, header.from());
        }
        if (header.dienstkennung() != null) {
            exchange.getIn().setHeader(KvConnectConstants.DIENSTKENNUNG, header.dienstkennung());
        }
        exchange.setException(failure);
        try {
            if (recorded.quarantined()) {
                // the one alert: routing headers only, never content
                exchange.getIn().setHeader(KvConnectConstants.QUARANTINED, true);
                LOG.error("KV-Connect message {} from {} is QUARANTINED after {} failed attempts to read it (last: {}): it "
                          + "stays on the server and is no longer fetched. It is read again when the keystore file changes; "
                          + "to release it otherwise, stop the consumer and remove its line from the failure ledger {}",
                        header.displayMessageId(), header.displayFrom(), recorded.attempts(), failure.getMessage(),
                        ledgerFile());
            } else {
                FailureLogLimit.Decision decision = failureLogLimit.next();
                if (decision.suppressedBefore() > 0) {
                    LOG.warn("{} further failed KV-Connect messages were logged at DEBUG only (more than {} a minute); "
                             + "each stays on the server and went to the error handler",
                            decision.suppressedBefore(), FAILURE_WARNINGS_PER_MINUTE);
                }
                if (decision.warn()) {
                    LOG.warn("{}: {}", logMessage, failure.getMessage());
                } else {
                    LOG.debug("{}: {}", logMessage, failure.getMessage());
                }
            }
            messageFailureHandler.handleException(logMessage, exchange, failure);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Deletes on the server; a failure is reported and the delete retried on the next poll. */
    private void deleteOnServer(String uid, String messageId, Exchange exchange) {
        KvConnectEndpoint endpoint = getEndpoint();
        try {
            endpoint.restClient().deleteMail(uid, messageId);
            endpoint.getStatistics().incDeleted();
            ledger.clear(messageId);
        } catch (IOException e) {
            endpoint.getStatistics().incDeleteFailures();
            String msg = "Cannot delete KV-Connect message " + MailHeader.display(messageId)
                         + " on the server; it was delivered and will not be delivered again. The delete is retried on the next poll";
            if (endpoint.getConfiguration().getDeleteFailureHandling() == DeleteFailureHandling.log) {
                LOG.warn("{}: {}", msg, e.getMessage());
            } else {
                getExceptionHandler().handleException(msg, exchange, e);
            }
        }
    }

    /** Whether the exchange failed with an {@link Error} (Camel wraps it in an exception). */
    private static boolean thrownByError(Exchange exchange) {
        Throwable t = exchange.getException();
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /** Whether the exchange really succeeded, i.e. no error handler had to deal with a failure. */
    static boolean failureWasHandled(Exchange exchange) {
        var ext = exchange.getExchangeExtension();
        return exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()
               || (ext.isErrorHandlerHandledSet() && ext.isErrorHandlerHandled())
               || ext.isFailureHandled()
               || Boolean.TRUE.equals(exchange.getProperty(ExchangePropertyKey.FAILURE_HANDLED, Boolean.class))
               || ext.isRedeliveryExhausted();
    }

    /** Commits (delete on the server) or keeps the message when the exchange is done. */
    private final class OnCompletion implements Synchronization {
        private final String uid;
        private final String messageId;
        private final String key;
        private final MailHeader header;
        private final Path messageWork;
        private final ReceivedMessage received;

        OnCompletion(String uid, String messageId, String key, MailHeader header, Path messageWork,
                     ReceivedMessage received) {
            this.uid = uid;
            this.messageId = messageId;
            this.key = key;
            this.header = header;
            this.messageWork = messageWork;
            this.received = received;
        }

        @Override
        public void onComplete(Exchange exchange) {
            try {
                KvConnectEndpoint endpoint = getEndpoint();
                boolean handled = failureWasHandled(exchange);
                if (handled && !endpoint.getConfiguration().isDeleteHandledFailures()) {
                    endpoint.getStatistics().incKeptOnServer();
                    ledger.recordFailure(messageId, endpoint.credentials().fingerprint(), "HANDLED_FAILURE");
                    LOG.warn("The exchange of KV-Connect message {} failed and an error handler handled it; the message "
                             + "stays on the server (deleteHandledFailures=false) and is retried later",
                            MailHeader.display(messageId));
                    return;
                }
                endpoint.getStatistics().incReceived();
                // The receipt first: recorded before the delivered record, so no crash can leave a deleted original
                // whose receipt was never recorded.
                PendingReceipts.Receipt receipt;
                try {
                    receipt = recordReceipt(exchange);
                } catch (IOException | RuntimeException e) {
                    endpoint.getStatistics().incKeptOnServer();
                    getExceptionHandler().handleException("Cannot record the Eingangsbestaetigung (receipt) for KV-Connect "
                                                          + "message " + MailHeader.display(messageId) + "; the message "
                                                          + "stays on the server and will be delivered again",
                            exchange, e);
                    return;
                }
                // Durable record first: after a crash or a failed delete the message is not delivered again.
                try {
                    idempotentRepository.add(key);
                    idempotentRepository.confirm(key);
                } catch (RuntimeException e) {
                    // Without the record a delete could not be told apart from a lost message: keep it on the server.
                    endpoint.getStatistics().incKeptOnServer();
                    getExceptionHandler().handleException("Cannot record KV-Connect message " + MailHeader.display(messageId) + " as delivered; "
                                                          + "it stays on the server and will be delivered again",
                            exchange, e);
                    return;
                }
                if (receipt != null) {
                    TestCrashPoint.reached(TestCrashPoint.RECEIPT_RECORDED);
                    exchange.getMessage().setHeader(KvConnectConstants.RECEIPT_STATE, receipts.send(receipt).value());
                }
                deleteOnServer(uid, messageId, exchange);
            } finally {
                release(received, messageWork);
            }
        }

        /**
         * Records the message's receipt durably if it gets one, and sets the header {@link KvConnectConstants#RECEIPT_STATE}.
         *
         * @return             the recorded receipt, or null if the message gets none
         * @throws IOException the receipt could not be recorded
         */
        private PendingReceipts.Receipt recordReceipt(Exchange exchange) throws IOException {
            ReceiptState state = mdnSender.decide(header, received);
            exchange.getMessage().setHeader(KvConnectConstants.RECEIPT_STATE, state.value());
            if (state != ReceiptState.REQUESTED) {
                MdnSender.logNotSent(state, header, received);
                return null;
            }
            PendingReceipts.Receipt receipt;
            try {
                receipt = mdnSender.receiptFor(header, messageId);
            } catch (KvConnectInvalidHeaderException e) {
                exchange.getMessage().setHeader(KvConnectConstants.RECEIPT_STATE, ReceiptState.REFUSED.value());
                getExceptionHandler().handleException("Cannot send the Eingangsbestaetigung (MDN) for KV-Connect message "
                                                      + MailHeader.display(messageId), exchange, e);
                return null;
            }
            receipts.record(receipt);
            exchange.getMessage().setHeader(KvConnectConstants.RECEIPT_STATE, ReceiptState.PENDING.value());
            return receipt;
        }

        @Override
        public void onFailure(Exchange exchange) {
            try {
                KvConnectEndpoint endpoint = getEndpoint();
                endpoint.getStatistics().incKeptOnServer();
                if (!thrownByError(exchange)) {
                    // Backoff, as for a handled failure, but no step towards quarantine (a downstream outage is not the
                    // message's fault). Without it the message came first again on every poll, and with
                    // maxMessagesPerPoll a few such messages starved all behind them. An Error was already recorded
                    // as a read failure by processBatch.
                    ledger.recordFailure(messageId, endpoint.credentials().fingerprint(), "ROUTE_FAILURE");
                }
                LOG.warn("The exchange of KV-Connect message {} failed; the message stays on the server and is delivered "
                         + "again after the failure backoff",
                        MailHeader.display(messageId));
            } finally {
                release(received, messageWork);
            }
        }

        @Override
        public String toString() {
            return "KvConnectConsumerOnCompletion[" + MailHeader.display(messageId) + "]";
        }
    }
}
