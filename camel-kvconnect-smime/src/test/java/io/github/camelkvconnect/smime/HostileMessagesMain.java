package io.github.camelkvconnect.smime;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a forked JVM with a small heap by {@link HostileMessagesTest}: reads each given transport file with
 * {@link SmimeReader} as Bob and prints one line per file, {@code RESULT <file> <outcome>} (the exception's text, which
 * starts with its reason, or {@code VERIFIED <status>}, or {@code UNEXPECTED <type>} for anything the reader must not
 * throw, {@code OutOfMemoryError} included), then {@code TIME <file> <ms>}. Ends with {@code LEFTOVER} if a temporary
 * file survived, and {@code DONE}.
 * Arguments: directory with bob.p8, bob.crt and anchor-N.crt (DER), then the transport files.
 */
public final class HostileMessagesMain {

    private HostileMessagesMain() {
    }

    public static void main(String[] args) throws Exception {
        Path keys = Path.of(args[0]);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(
                keys.resolve("bob.p8"))));
        X509Certificate own;
        try (InputStream in = Files.newInputStream(keys.resolve("bob.crt"))) {
            own = (X509Certificate) cf.generateCertificate(in);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (int i = 0; Files.exists(keys.resolve("anchor-" + i + ".crt")); i++) {
            try (InputStream in = Files.newInputStream(keys.resolve("anchor-" + i + ".crt"))) {
                anchors.add((X509Certificate) cf.generateCertificate(in));
            }
        }
        Path work = Files.createDirectories(keys.resolve("reader-temp"));
        SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT, SmimeProfile.KIM)
                .credentials(new SmimeCredentials(key, List.of(own))).trustAnchors(anchors).workDirectory(work).build();
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            String name = file.getFileName().toString();
            long start = System.nanoTime();
            String outcome;
            try (DecryptedMessage m = reader.read(file)) {
                outcome = "VERIFIED " + m.verification().status();
            } catch (SmimeDecryptionException e) {
                outcome = e.getMessage();
            } catch (Throwable e) {
                outcome = "UNEXPECTED " + e.getClass().getName() + ": " + e.getMessage();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("RESULT " + name + " " + outcome.replace('\n', ' '));
            System.out.println("TIME " + name + " " + ms);
        }
        try (var left = Files.list(work)) {
            if (left.findAny().isPresent()) {
                System.out.println("LEFTOVER temporary files in " + work);
            }
        }
        System.out.println("DONE max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
    }
}
