package io.github.camelkvconnect.smime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target Z1: raw bytes → the whole receive pipeline of {@link SmimeReader} (MIME headers, multipart/mixed,
 * base64, CMS, decryption with Bob's key, MIME of the plaintext, multipart/signed or opaque SignedData, certificate
 * path, From check, business-entity walk). Oracle: {@link FuzzHarness#read(byte[])}.
 * <p>
 * The first byte chooses where the fuzzer's bytes enter, so that mutations also reach the code behind the decryption
 * (the encryption to Bob is public-key, an attacker produces any plaintext):
 * <ul>
 * <li>{@code 0 mod 3}: the rest is the transport message as received</li>
 * <li>{@code 1 mod 3}: the rest is the plaintext of a KV-Connect envelope (EnvelopedData AES-CBC) for Bob</li>
 * <li>{@code 2 mod 3}: the rest is the plaintext of a KIM envelope (AuthEnvelopedData AES-GCM) for Bob</li>
 * </ul>
 * Seeds: valid messages of both profiles written by the module at test time (and their plaintexts), via
 * {@link MethodSource}; in {@code mvn verify} only these and the files under {@code SmimeReaderFuzzTestInputs} run
 * (regression mode). Real fuzzing: docs/smime.md, "Fuzzing".
 */
class SmimeReaderFuzzTest {

    static final byte RAW = 0;
    static final byte KVCONNECT_PLAINTEXT = 1;
    static final byte KIM_PLAINTEXT = 2;

    private static final FuzzHarness HARNESS = new FuzzHarness("reader");

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5m")
    void receivePipeline(byte[] input) {
        if (input.length == 0) {
            HARNESS.read(input);
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch (Math.floorMod(input[0], 3)) {
            case 1 -> HARNESS.read(FuzzHarness.kvConnectTransport(rest));
            case 2 -> HARNESS.read(FuzzHarness.kimTransport(rest));
            default -> HARNESS.read(rest);
        }
    }

    static Stream<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        List<byte[]> valid = FuzzHarness.validTransports();
        for (byte[] message : valid) {
            seeds.add(prefixed(RAW, message));
            seeds.add(prefixed(RAW, Arrays.copyOf(message, message.length / 2)));
        }
        // the plaintexts the module itself encrypts: a multipart/signed (KV-Connect) and an opaque SignedData of a
        // message/rfc822 (KIM), taken out of valid messages with Bob's key
        seeds.add(prefixed(KVCONNECT_PLAINTEXT, TestMessages.plaintextOf(valid.get(SmimeProfile.KVCONNECT.ordinal()),
                FuzzHarness.BOB)));
        seeds.add(prefixed(KIM_PLAINTEXT, FuzzHarness.kimPlaintextOf(valid.get(SmimeProfile.KIM.ordinal()))));
        byte[] signed = TestMessages.multipartSigned(TestMessages.toBytes(TestMessages.businessEntity("Befund")),
                FuzzHarness.ALICE, true);
        seeds.add(prefixed(KIM_PLAINTEXT, signed));
        seeds.add(prefixed(KVCONNECT_PLAINTEXT, ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nBefund\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return seeds.stream();
    }

    private static byte[] prefixed(byte mode, byte[] body) {
        byte[] result = new byte[body.length + 1];
        result[0] = mode;
        System.arraycopy(body, 0, result, 1, body.length);
        return result;
    }
}
