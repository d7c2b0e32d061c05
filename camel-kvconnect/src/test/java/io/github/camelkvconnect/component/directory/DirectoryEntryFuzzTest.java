package io.github.camelkvconnect.component.directory;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.SearchResultEntryProtocolOp;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;

import io.github.camelkvconnect.component.support.TestKeys;

/**
 * Fuzz target Z4: a directory answer → {@link DirectoryEntry} (address data and published certificates), without a
 * server. The fuzzer's bytes are the LDAP wire encoding (BER) of a SearchResultEntry, decoded by the LDAP SDK's element
 * decoder, and a decodable entry goes through {@link DirectorySearch#toEntry}. So every attribute value (cn, mail,
 * userCertificate;binary as DER or PEM, ...) is attacker-controlled.
 * <p>
 * Not the SDK's stream reader: over an in-memory stream, in UnboundID LDAP SDK 7.0.3 it loops without end on an
 * attribute value set that claims more bytes than the stream holds before its end (each turn adds a value, until
 * {@code OutOfMemoryError}); fuzzing through it stops at that finding within seconds. The 100-byte reproducer is kept
 * in {@code unboundid-7.0.3-truncated-attribute-set-oom.ber} next to this class's resources (not a seed: it would
 * exhaust the heap of every build); see {@link #streamReaderReproducerIsRejectedByTheElementDecoder()}. Over a
 * connection the loop stops (the SDK's buffered socket stream fails the read after the end, and so does the search's
 * own socket): {@link DirectoryAnswerLimitsTest} serves the reproducer over a real socket and expects a
 * {@code KvConnectDirectoryException}; docs/kvconnect-component.md, "Directory answers", has the details.
 * <p>
 * Oracle: the SDK rejects unreadable protocol data with its declared {@link LDAPException} (the search turns it into
 * an {@code IOException}); the conversion of a readable entry throws nothing at all (an unreadable certificate is
 * skipped) and never keeps a non-certificate. Seeds: entries encoded at test time (DER, PEM, garbage certificate
 * values) plus files under {@code DirectoryEntryFuzzTestInputs}; real fuzzing:
 * {@code JAZZER_FUZZ=1 mvn -B -o -pl camel-kvconnect test -Dtest=DirectoryEntryFuzzTest}.
 */
class DirectoryEntryFuzzTest {

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3m")
    void searchResultEntry(byte[] input) {
        SearchResultEntryProtocolOp op;
        try {
            LDAPMessage message = LDAPMessage.decode(ASN1Element.decode(input));
            if (!(message.getProtocolOp() instanceof SearchResultEntryProtocolOp entry)) {
                return;
            }
            op = entry;
        } catch (LDAPException | ASN1Exception declared) {
            return;
        }
        DirectoryEntry result = DirectorySearch.toEntry(op.toSearchResultEntry());
        for (X509Certificate c : result.certificates()) {
            if (c == null) {
                throw new AssertionError("a null certificate in the entry");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theSeedEntriesDecode() throws Exception {
        List<byte[]> seeds = seeds().toList();
        for (int i = 0; i < seeds.size(); i++) {
            SearchResultEntry entry = LDAPMessage.decode(ASN1Element.decode(seeds.get(i))).getSearchResultEntryProtocolOp()
                    .toSearchResultEntry();
            DirectoryEntry result = DirectorySearch.toEntry(entry);
            org.junit.jupiter.api.Assertions.assertEquals("bob@kv-safenet.de", result.mail());
            org.junit.jupiter.api.Assertions.assertEquals("Berlin", result.city());
            // DER and PEM are read, a cut or garbage certificate is skipped
            org.junit.jupiter.api.Assertions.assertEquals(i < 2 ? 1 : 0, result.certificates().size(), "seed " + i);
        }
    }

    /**
     * Documents the SDK defect above without running into it: the reproducer is a complete element to the array decoder
     * (which rejects it cleanly) only because the decoder checks lengths against the bytes it has.
     */
    @org.junit.jupiter.api.Test
    void streamReaderReproducerIsRejectedByTheElementDecoder() throws Exception {
        byte[] reproducer;
        try (var in = DirectoryEntryFuzzTest.class.getResourceAsStream("unboundid-7.0.3-truncated-attribute-set-oom.ber")) {
            reproducer = in.readAllBytes();
        }
        searchResultEntry(reproducer);
    }

    static Stream<byte[]> seeds() throws Exception {
        X509Certificate cert = TestKeys.selfSigned(TestKeys.rsa(), "CN=bob,E=bob@kv-safenet.de");
        byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(encode(cert.getEncoded()));
        seeds.add(encode(pem));
        seeds.add(encode(Arrays.copyOf(cert.getEncoded(), 100)));
        seeds.add(encode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII)));
        return seeds.stream();
    }

    private static byte[] encode(byte[] certificateValue) {
        List<Attribute> attributes = List.of(new Attribute("cn", "bob"), new Attribute("givenName", "Bernd"),
                new Attribute("sn", "Müller"), new Attribute("o", "Praxis Dr. Müller"), new Attribute("street", "Hauptstr. 1"),
                new Attribute("postalCode", "10115"), new Attribute("l", "Berlin"), new Attribute("mail", "bob@kv-safenet.de"),
                new Attribute("userCertificate;binary", certificateValue));
        return new LDAPMessage(1, new SearchResultEntryProtocolOp("uid=bob,ou=people,dc=kv-safenet,dc=de", attributes))
                .encode().encode();
    }
}
