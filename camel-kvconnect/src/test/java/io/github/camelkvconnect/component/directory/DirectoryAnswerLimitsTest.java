package io.github.camelkvconnect.component.directory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.ResultCode;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.component.KvConnectDirectoryException;
import io.github.camelkvconnect.component.support.EmulatorFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile directory answers, served over a real socket by a tiny LDAP server that reads the search request and answers
 * with fixed bytes, end in a {@link KvConnectDirectoryException} instead of exhausting the heap:
 * <ul>
 * <li>the fuzzing finding against UnboundID 7.0.3 (a value set claiming more bytes than arrive before the connection
 * ends; in the SDK's stream reader over an in-memory stream it loops until {@code OutOfMemoryError}) is a decoding
 * error over a connection;</li>
 * <li>an answer larger than the answer limit (here: an entry of many tiny values, each of which costs an object on the
 * heap) is aborted, over LDAP and, counted on the TLS records, over LDAPS.</li>
 * </ul>
 * The surefire JVM runs with its normal heap.
 */
class DirectoryAnswerLimitsTest {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private ServerSocket server;
    private CompletableFuture<byte[]> request;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void unboundidStreamReaderReproducerIsATypedDecodingError() throws Exception {
        byte[] reproducer;
        try (InputStream in = getClass().getResourceAsStream("unboundid-7.0.3-truncated-attribute-set-oom.ber")) {
            reproducer = in.readAllBytes();
        }
        assertEquals(100, reproducer.length);
        KvConnectConfiguration c = configuration(serve(reproducer));

        KvConnectDirectoryException e = assertThrows(KvConnectDirectoryException.class,
                () -> new DirectorySearch(c).search(null, null, "bob@kv-safenet.de"));
        assertFalse(e.isAnswerTooLarge());
        assertEquals(c.getLdapUrl(), e.getLdapUrl());
        assertTrue(e.getMessage().startsWith("Directory search at " + c.getLdapUrl() + " failed: the directory's answer "
                                             + "cannot be decoded"), e.getMessage());
        assertTrue(e.getMessage().contains("decoding error"), e.getMessage());
        assertEquals(0x30, request.get(10, TimeUnit.SECONDS)[0] & 0xff, "the server was asked (an LDAP message)");
    }

    @Test
    void answerBeyondTheLimitIsAbortedNamingTheLimit() throws Exception {
        // one entry of 150 000 empty values (300 KB on the wire, far more as objects), then the search result
        byte[] answer = concat(entryWithTinyValues(150_000), done());
        KvConnectConfiguration c = configuration(serve(answer));
        c.setDirectoryMaxResults(1); // limit: 64 KiB + 1 x 32 KiB

        KvConnectDirectoryException e = assertThrows(KvConnectDirectoryException.class,
                () -> new DirectorySearch(c).search("Müller", null, null));
        assertTrue(e.isAnswerTooLarge());
        assertTrue(e.getMessage().contains("the directory's answer exceeds 98304 bytes (32 KiB per result of "
                                           + "directoryMaxResults=1, plus 64 KiB)"), e.getMessage());
    }

    /** The same answer, within the limit, is read: the limit, not the content, stopped the search above. */
    @Test
    void answerWithinTheLimitIsRead() throws Exception {
        byte[] answer = concat(entryWithTinyValues(1_000), done());
        KvConnectConfiguration c = configuration(serve(answer));
        c.setDirectoryMaxResults(1);

        List<DirectoryEntry> entries = new DirectorySearch(c).search("Müller", null, null);
        assertEquals(1, entries.size());
        assertEquals("bob@kv-safenet.de", entries.get(0).mail());
    }

    /**
     * The guard against the stream reader's loop that does not depend on the SDK's buffering: the directory's socket
     * reports the end of the answer once; reading on after it fails.
     */
    @Test
    void readingOnAfterTheEndOfTheAnswerFails() throws Exception {
        int port = serve(new byte[] { 0x30, 0x05, 0x02, 0x01 }); // cut off
        try (Socket s = new AnswerLimit(1_000).sockets(5_000).createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(new byte[] { 0x30, 0x00 });
            InputStream in = s.getInputStream();
            assertEquals(4, in.readNBytes(4).length);
            assertEquals(-1, in.read(), "the end is reported once");
            IOException e = assertThrows(IOException.class, in::read);
            assertEquals("the directory closed the connection in the middle of an answer", e.getMessage());
        }
    }

    /** Over LDAPS the limit counts the TLS records: TLS is layered over the counting socket. */
    @Test
    void limitAppliesToLdapsToo() {
        KvConnectConfiguration c = new KvConnectConfiguration();
        c.setLdapUrl(kvc.emulator().ldapsUri().toString());
        c.setLdapBaseDn(kvc.emulator().ldapBaseDn());
        c.setTlsTrustAnchors(kvc.tlsAnchors().toString());
        KvConnectDirectoryException e = assertThrows(KvConnectDirectoryException.class,
                () -> new DirectorySearch(c, 200).search(null, null, "nobody@kv-safenet.de"));
        assertTrue(e.isAnswerTooLarge(), e.getMessage());

        assertEquals(List.of(), assertDoesNotThrowSearch(c), "the default limit leaves room for a real answer over LDAPS");
    }

    private static List<DirectoryEntry> assertDoesNotThrowSearch(KvConnectConfiguration c) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                () -> new DirectorySearch(c).search(null, null, "nobody@kv-safenet.de"));
    }

    private static KvConnectConfiguration configuration(int port) {
        KvConnectConfiguration c = new KvConnectConfiguration();
        c.setLdapUrl("ldap://127.0.0.1:" + port);
        c.setLdapBaseDn("ou=users,dc=kv-safenet,dc=de");
        return c;
    }

    /** Accepts one connection, reads one LDAP message (the search request), writes {@code answer} and closes. */
    private int serve(byte[] answer) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        request = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                byte[] message = readMessage(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
                return message;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return server.getLocalPort();
    }

    /** One BER element: tag, length (short or long form), content. */
    private static byte[] readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(in.read());
        int first = in.read();
        m.write(first);
        int length = first;
        if (first > 0x7f) {
            length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                int b = in.read();
                m.write(b);
                length = length << 8 | b;
            }
        }
        m.write(in.readNBytes(length));
        return m.toByteArray();
    }

    /** A SearchResultEntry for bob with a description attribute of {@code values} empty values. */
    private static byte[] entryWithTinyValues(int values) {
        byte[] set = new byte[values * 2];
        for (int i = 0; i < set.length; i += 2) {
            set[i] = 0x04; // OCTET STRING, length 0
        }
        byte[] tiny = tlv(0x30, concat(tlv(0x04, "description".getBytes(StandardCharsets.US_ASCII)), tlv(0x31, set)));
        byte[] attributeList = concat(new Attribute("sn", "Müller").encode().encode(),
                new Attribute("mail", "bob@kv-safenet.de").encode().encode(), tiny);
        byte[] op = tlv(0x64, concat(tlv(0x04, "uid=bob,ou=users,dc=kv-safenet,dc=de".getBytes(StandardCharsets.UTF_8)),
                tlv(0x30, attributeList)));
        return tlv(0x30, concat(new byte[] { 0x02, 0x01, 0x01 }, op));
    }

    private static byte[] done() {
        return new LDAPMessage(1, new SearchResultDoneProtocolOp(ResultCode.SUCCESS.intValue(), null, null, null)).encode().encode();
    }

    private static byte[] tlv(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] { (byte) n }
                : n < 0x100 ? new byte[] { (byte) 0x81, (byte) n }
                : n < 0x10000 ? new byte[] { (byte) 0x82, (byte) (n >> 8), (byte) n }
                : new byte[] { (byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n };
        return concat(new byte[] { (byte) tag }, length, content);
    }

    private static byte[] concat(byte[]... parts) {
        int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
