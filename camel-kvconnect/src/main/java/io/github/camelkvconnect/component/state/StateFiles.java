package io.github.camelkvconnect.component.state;

import java.util.Locale;

/** Naming of per-account state files. */
public final class StateFiles {

    private StateFiles() {
    }

    /** A file name derived from the account address that is safe on every file system. */
    public static String accountFileName(String account, String suffix) {
        String safe = account.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._@-]", "_");
        return safe + suffix;
    }
}
