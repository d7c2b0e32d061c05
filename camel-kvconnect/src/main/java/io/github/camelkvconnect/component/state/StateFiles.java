package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Naming of per-account state files and the keystore fingerprint. */
public final class StateFiles {

    private StateFiles() {
    }

    /** A file name derived from the account address that is safe on every file system. */
    public static String accountFileName(String account, String suffix) {
        String safe = account.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._@-]", "_");
        return safe + suffix;
    }

    /** SHA-256 of a file's bytes, hex-encoded (streamed). */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** SHA-256 of the keystore file's bytes, or "none" if there is no keystore. */
    public static String fingerprint(Path keystore) {
        if (keystore == null || !Files.isRegularFile(keystore)) {
            return "none";
        }
        try {
            return sha256(keystore);
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
