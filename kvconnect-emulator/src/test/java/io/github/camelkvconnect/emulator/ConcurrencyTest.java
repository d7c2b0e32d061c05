package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.segment;
import static io.github.camelkvconnect.emulator.RestClient.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Two clients send 500 messages each to one another while both fetch and delete their mailbox: all 1,000 arrive
 * exactly once.
 */
class ConcurrencyTest {

    static final String PW = "Secret12AB";
    static final int PER_CLIENT = 500;
    static final int SENDER_THREADS = 3;

    @Test
    void thousandMessagesNoneLostNoneDuplicated() throws Exception {
        try (KvConnectEmulator emulator = KvConnectEmulator.builder()
                .account(EmulatorAccount.ready("anton", PW)).account(EmulatorAccount.ready("berta", PW)).start()) {
            RestClient anton = new RestClient(emulator).basic("anton", PW);
            RestClient berta = new RestClient(emulator).basic("berta", PW);
            Set<String> sentToBerta = ConcurrentHashMap.newKeySet();
            Set<String> sentToAnton = ConcurrentHashMap.newKeySet();
            Set<String> receivedByBerta = ConcurrentHashMap.newKeySet();
            Set<String> receivedByAnton = ConcurrentHashMap.newKeySet();
            List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());

            ExecutorService pool = Executors.newFixedThreadPool(2 * SENDER_THREADS + 2);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < SENDER_THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(sender(anton, "anton", "berta", thread, sentToBerta)));
                    futures.add(pool.submit(sender(berta, "berta", "anton", thread, sentToAnton)));
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                futures.add(pool.submit(receiver(anton, emulator.admin().uid("anton"), receivedByAnton, duplicates, deadline)));
                futures.add(pool.submit(receiver(berta, emulator.admin().uid("berta"), receivedByBerta, duplicates, deadline)));
                for (Future<?> f : futures) {
                    f.get(3, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(PER_CLIENT, sentToBerta.size());
            assertEquals(PER_CLIENT, sentToAnton.size());
            assertEquals(List.of(), duplicates);
            assertEquals(sentToBerta, receivedByBerta);
            assertEquals(sentToAnton, receivedByAnton);
            assertTrue(emulator.admin().listMailbox("anton").isEmpty());
            assertTrue(emulator.admin().listMailbox("berta").isEmpty());
        }
    }

    private static Callable<Void> sender(RestClient client, String from, String to, int thread, Set<String> sent) {
        return () -> {
            for (int i = thread; i < PER_CLIENT; i += SENDER_THREADS) {
                String id = Messages.newMessageId();
                HttpResponse<String> r = client.post("mails",
                        Messages.message(from + "@kv-safenet.de", to + "@kv-safenet.de", id, "msg " + i));
                assertEquals(200, r.statusCode(), r.body());
                sent.add(id);
            }
            return null;
        };
    }

    /** Lists headers, fetches each message, checks it, deletes it; until all arrived. */
    private static Callable<Void> receiver(RestClient client, String uid, Set<String> received, List<String> duplicates,
            long deadline) {
        return () -> {
            while (received.size() < PER_CLIENT) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + received.size() + " messages arrived");
                }
                HttpResponse<String> headers = client.get("accounts/" + uid + "/headers");
                assertEquals(200, headers.statusCode());
                for (String id : texts(headers.body(), "message-id")) {
                    HttpResponse<byte[]> mail = client.getBytes("accounts/" + uid + "/mails/" + segment(id));
                    assertEquals(200, mail.statusCode());
                    assertTrue(new String(mail.body(), StandardCharsets.US_ASCII).contains("Message-ID: " + id));
                    if (!received.add(id)) {
                        duplicates.add(id);
                    }
                    assertEquals(204, client.delete("accounts/" + uid + "/mails/" + segment(id)).statusCode());
                }
            }
            return null;
        };
    }
}
