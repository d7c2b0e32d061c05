package io.github.camelkvconnect.emulator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorException;
import io.github.camelkvconnect.emulator.pki.OwnerOnlyFiles;
import io.github.camelkvconnect.emulator.pki.Pem;

/**
 * All accounts, looked up by username, uid or address. With a data directory every change is written to
 * {@code accounts.json} (password hashes only) before the call returns.
 */
public final class AccountRegistry {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, AccountRecord> byUsername = new ConcurrentHashMap<>();
    private final Map<String, AccountRecord> byUid = new ConcurrentHashMap<>();
    /** username + SHA-256(password) → the password hash it was verified against. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();
    private final Path file;
    private final Clock clock;
    private volatile Instant directoryChanged;

    /**
     * @param dataDir the data directory, or null to keep accounts in memory only
     * @param clock   the clock
     */
    public AccountRegistry(Path dataDir, Clock clock) {
        this.file = dataDir == null ? null : dataDir.resolve("accounts.json");
        this.clock = clock;
        this.directoryChanged = clock.instant();
        if (file != null && Files.exists(file)) {
            load();
        }
    }

    /**
     * Registers an account.
     *
     * @param account the account
     * @return the new record
     * @throws IllegalStateException if the username is taken
     */
    public AccountRecord create(EmulatorAccount account) {
        String key = key(account.username());
        String uid = UUID.randomUUID() + "@" + kvSuffix(account.kv());
        AccountRecord record = new AccountRecord(uid, account, PasswordHasher.hash(account.password()),
                account.passwordChangeNeeded(), clock.instant(), null);
        synchronized (this) {
            if (byUsername.putIfAbsent(key, record) != null) {
                throw new IllegalStateException("Account '" + account.username() + "' already exists");
            }
            byUid.put(uid, record);
            persist();
        }
        return record;
    }

    /** @return the account, if the username exists (case-insensitive like mail local parts here) */
    public Optional<AccountRecord> byUsername(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(key(username)));
    }

    /** @return the account with this uid */
    public Optional<AccountRecord> byUid(String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(byUid.get(uid));
    }

    /** @return the account with this KV-Connect address */
    public Optional<AccountRecord> byAddress(String address) {
        if (address == null) {
            return Optional.empty();
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || !address.substring(at + 1).equalsIgnoreCase(EmulatorAccount.DOMAIN)) {
            return Optional.empty();
        }
        return byUsername(address.substring(0, at));
    }

    /** @return all accounts, ordered by username */
    public List<AccountRecord> all() {
        List<AccountRecord> list = new ArrayList<>(byUsername.values());
        list.sort(Comparator.comparing(AccountRecord::username));
        return list;
    }

    /**
     * Checks credentials. A successful check is remembered (keyed by a SHA-256 of the password, in memory only) for
     * as long as the stored hash is unchanged, so clients that send BASIC on every request do not pay the PBKDF2
     * cost each time; a password change invalidates it.
     *
     * @param username the username
     * @param password the password
     * @return the account if username and password match
     */
    public Optional<AccountRecord> authenticate(String username, String password) {
        Optional<AccountRecord> record = byUsername(username);
        if (record.isEmpty() || password == null) {
            return Optional.empty();
        }
        String storedHash = record.get().passwordHash();
        String cacheKey = key(username) + "\u0000" + sha256(password);
        if (storedHash.equals(verified.get(cacheKey))) {
            return record;
        }
        if (!PasswordHasher.matches(password, storedHash)) {
            return Optional.empty();
        }
        if (verified.size() > 10_000) {
            verified.clear();
        }
        verified.put(cacheKey, storedHash);
        return record;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Sets a new password (policy already checked) and clears {@code passwordChangeNeeded}. */
    public void changePassword(AccountRecord record, String newPassword) {
        record.password(PasswordHasher.hash(newPassword), clock.instant());
        synchronized (this) {
            persist();
        }
    }

    /** Replaces (or with null removes) the account's certificate. */
    public void certificate(AccountRecord record, X509Certificate certificate) {
        record.certificate(certificate);
        directoryChanged = clock.instant();
        synchronized (this) {
            persist();
        }
    }

    /** @return when a certificate was last issued or deleted (drives the address book's Last-Modified) */
    public Instant directoryChanged() {
        return directoryChanged;
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static String kvSuffix(String kv) {
        if (kv != null && kv.matches("[A-Za-z0-9]{1,8}")) {
            return kv;
        }
        return "00";
    }

    /** The persisted form of an account: hashes, never clear passwords. */
    static final class Persisted {
        public String uid;
        public Map<String, String> masterData;
        public String passwordHash;
        public boolean passwordChangeNeeded;
        public String passwordLastChange;
        public String certificate;
    }

    private void persist() {
        if (file == null) {
            return;
        }
        List<Persisted> out = new ArrayList<>();
        for (AccountRecord r : all()) {
            Persisted p = new Persisted();
            p.uid = r.uid();
            EmulatorAccount m = r.masterData();
            p.masterData = new java.util.LinkedHashMap<>();
            put(p.masterData, "username", m.username());
            put(p.masterData, "title", m.title());
            put(p.masterData, "givenName", m.givenName());
            put(p.masterData, "surname", m.surname());
            put(p.masterData, "organisation", m.organisation());
            put(p.masterData, "bsnr", m.bsnr());
            put(p.masterData, "lanr", m.lanr());
            put(p.masterData, "street", m.street());
            put(p.masterData, "postalCode", m.postalCode());
            put(p.masterData, "city", m.city());
            put(p.masterData, "kv", m.kv());
            p.passwordHash = r.passwordHash();
            p.passwordChangeNeeded = r.passwordChangeNeeded();
            p.passwordLastChange = r.passwordLastChange().toString();
            p.certificate = r.certificate().map(Pem::encode).orElse(null);
            out.add(p);
        }
        try {
            // password hashes: owner-only, like the CA keys
            OwnerOnlyFiles.write(file, JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new EmulatorException("Cannot write " + file + ": " + e.getMessage()
                    + "; check that the data directory is writable", e);
        }
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private void load() {
        List<Persisted> in;
        try {
            in = JSON.readValue(file.toFile(), new TypeReference<List<Persisted>>() { });
        } catch (IOException e) {
            throw new EmulatorException("Cannot read " + file + ": " + e.getMessage()
                    + "; repair or remove the file (accounts are then lost)", e);
        }
        for (Persisted p : in) {
            Map<String, String> m = p.masterData;
            EmulatorAccount account = EmulatorAccount.builder().username(m.get("username")).password("-")
                    .title(m.get("title")).givenName(m.get("givenName")).surname(m.get("surname"))
                    .organisation(m.get("organisation")).bsnr(m.get("bsnr")).lanr(m.get("lanr"))
                    .street(m.get("street")).postalCode(m.get("postalCode")).city(m.get("city")).kv(m.get("kv"))
                    .build();
            X509Certificate cert = p.certificate == null ? null : Pem.certificate(p.certificate);
            AccountRecord record = new AccountRecord(p.uid, account, p.passwordHash, p.passwordChangeNeeded,
                    Instant.parse(p.passwordLastChange), cert);
            byUsername.put(key(account.username()), record);
            byUid.put(p.uid, record);
        }
    }

    /** @return the DER encoding, for callers that must not deal with the checked exception */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("Certificate cannot be encoded", e);
        }
    }
}
