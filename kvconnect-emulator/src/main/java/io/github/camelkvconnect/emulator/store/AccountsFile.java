package io.github.camelkvconnect.emulator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorException;

/**
 * Reads accounts from a YAML ({@code .yaml}/{@code .yml}) or JSON file: either a list of accounts or an object with
 * an {@code accounts} list. Each account has the fields of {@link EmulatorAccount.Builder}.
 */
public final class AccountsFile {

    private AccountsFile() {
    }

    /**
     * @param file the file
     * @return the accounts
     * @throws EmulatorException naming the file and the problem if it cannot be read
     */
    public static List<EmulatorAccount> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try {
            JsonNode root = mapper.readTree(Files.readAllBytes(file));
            JsonNode list = root != null && root.isObject() ? root.get("accounts") : root;
            if (list == null || !list.isArray()) {
                throw new EmulatorException("Accounts file " + file
                        + " must hold a list of accounts or an object with an 'accounts' list");
            }
            List<EmulatorAccount> accounts = new ArrayList<>();
            int index = 0;
            for (JsonNode node : list) {
                try {
                    accounts.add(mapper.treeToValue(node, EmulatorAccount.class));
                } catch (IOException | IllegalArgumentException e) {
                    Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
                    throw new EmulatorException("Accounts file " + file + ", account #" + (index + 1) + ": "
                            + cause.getMessage(), e);
                }
                index++;
            }
            return accounts;
        } catch (IOException e) {
            throw new EmulatorException("Cannot read accounts file " + file + ": " + e.getMessage(), e);
        }
    }
}
