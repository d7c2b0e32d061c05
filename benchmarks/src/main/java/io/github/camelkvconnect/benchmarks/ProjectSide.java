package io.github.camelkvconnect.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.SharedFileInputStream;

import io.github.camelkvconnect.smime.DecryptedMessage;
import io.github.camelkvconnect.smime.SmimeException;
import io.github.camelkvconnect.smime.SmimeProfile;
import io.github.camelkvconnect.smime.SmimeReader;
import io.github.camelkvconnect.smime.SmimeWriter;
import io.github.camelkvconnect.smime.TestPki;
import io.github.camelkvconnect.smime.VerificationStatus;

/**
 * The project's side: {@link SmimeWriter} (profile KVCONNECT) signs as Alice and encrypts for Bob and Alice, file to
 * file; {@link SmimeReader} decrypts as Bob and verifies against the root CA, file to (temporary) file. The writer and
 * reader are built once, as an application would; every message checks the recipient and sender certificates and the
 * signer's path anew, as the API always does.
 */
final class ProjectSide {

    private final SmimeWriter writer;
    private final SmimeReader reader;
    private final Map<String, String> routing = new LinkedHashMap<>();

    /** {@code rsaProvider}: the writer's and reader's RSA provider option; null = the defaults (JVM RSA and BC). */
    ProjectSide(BenchmarkPki pki, Path readerWorkDirectory, Provider rsaProvider) {
        writer = SmimeWriter.builder().profile(SmimeProfile.KVCONNECT).credentials(pki.alice)
                .certificateResolver(TestPki.resolver(pki.bob)).trustAnchors(pki.anchors()).rsaProvider(rsaProvider).build();
        reader = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT).credentials(pki.bob).trustAnchors(pki.anchors())
                .intermediates(List.of(pki.pki.userCaCertificate())).workDirectory(readerWorkDirectory)
                .rsaProvider(rsaProvider).build();
        routing.put("From", BenchmarkPki.SENDER);
        routing.put("To", BenchmarkPki.RECIPIENT);
        routing.put("Subject", "Arztbrief");
        routing.put("X-KVC-Dienstkennung", "Arztbrief;VHitG-Versand;V1.0");
    }

    /** Signs and encrypts the entity in {@code entity} into the transport message {@code transport}. */
    void signAndEncrypt(Path entity, Path transport) throws IOException, SmimeException {
        // a 64 KiB read buffer: SharedFileInputStream's default of 2 KiB costs a seek and a read call per 2 KiB
        try (SharedFileInputStream in = new SharedFileInputStream(entity.toFile(), 64 * 1024);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(transport), 1 << 16)) {
            writer.write(new MimeBodyPart(in), routing, out);
        } catch (MessagingException e) {
            throw new IOException("the benchmark entity is not valid MIME", e);
        }
    }

    /**
     * Decrypts and verifies {@code transport}; fails unless the signature is VALID. With {@code keepEntity} the
     * decrypted entity is copied to that file (used once, outside the timing, to prove both sides got the input back).
     */
    void decryptAndVerify(Path transport, Path keepEntity) throws IOException, SmimeException {
        try (DecryptedMessage m = reader.read(transport)) {
            if (m.verification().status() != VerificationStatus.VALID) {
                throw new IllegalStateException("the project did not verify its own message: " + m.verification());
            }
            if (keepEntity != null) {
                Files.copy(m.entityFile(), keepEntity, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
