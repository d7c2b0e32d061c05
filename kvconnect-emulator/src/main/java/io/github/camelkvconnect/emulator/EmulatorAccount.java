package io.github.camelkvconnect.emulator;

import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * A KV-Connect account as the KV registers it: username, initial password and the master data the User CA puts
 * into the certificate and the directory publishes.
 * <p>
 * The KV-Connect address is {@code <username>@kv-safenet.de}. Like on the real server a new account starts with
 * {@code passwordChangeNeeded = true} and may not request a certificate before its password was changed; tests that
 * want a ready account set {@link Builder#passwordChangeNeeded(boolean) passwordChangeNeeded(false)}.
 * <p>
 * Immutable; {@link #toString()} never shows the password.
 */
@JsonDeserialize(builder = EmulatorAccount.Builder.class)
public final class EmulatorAccount {

    /** The mail domain of every KV-Connect address. */
    public static final String DOMAIN = "kv-safenet.de";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String username;
    private final String password;
    private final boolean passwordChangeNeeded;
    private final String title;
    private final String givenName;
    private final String surname;
    private final String organisation;
    private final String bsnr;
    private final String lanr;
    private final String street;
    private final String postalCode;
    private final String city;
    private final String kv;

    private EmulatorAccount(Builder b) {
        if (b.username == null || !USERNAME.matcher(b.username).matches()) {
            throw new IllegalArgumentException("Account username '" + b.username
                    + "' is invalid: use 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (b.password == null || b.password.isEmpty()) {
            throw new IllegalArgumentException("Account '" + b.username + "' has no password: set an initial password");
        }
        this.username = b.username;
        this.password = b.password;
        this.passwordChangeNeeded = b.passwordChangeNeeded;
        this.title = b.title;
        this.givenName = b.givenName;
        this.surname = b.surname;
        this.organisation = b.organisation;
        this.bsnr = b.bsnr;
        this.lanr = b.lanr;
        this.street = b.street;
        this.postalCode = b.postalCode;
        this.city = b.city;
        this.kv = b.kv;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Shortcut for tests: an account with the given credentials, {@code passwordChangeNeeded = false} and master data
     * derived from the username.
     *
     * @param username the KV-Connect username (local part of the address)
     * @param password the password, which should satisfy the password policy if the test changes it later
     * @return the account
     */
    public static EmulatorAccount ready(String username, String password) {
        return builder().username(username).password(password).passwordChangeNeeded(false)
                .givenName("Test").surname(username).organisation("Praxis " + username).city("Berlin").kv("72")
                .build();
    }

    /** @return a builder initialised with this account's values */
    public Builder toBuilder() {
        return builder().username(username).password(password).passwordChangeNeeded(passwordChangeNeeded)
                .title(title).givenName(givenName).surname(surname).organisation(organisation).bsnr(bsnr).lanr(lanr)
                .street(street).postalCode(postalCode).city(city).kv(kv);
    }

    /** @return the username, the local part of the KV-Connect address */
    public String username() { return username; }

    /** @return the (initial) password */
    public String password() { return password; }

    /** @return whether the password must be changed before a certificate may be requested */
    public boolean passwordChangeNeeded() { return passwordChangeNeeded; }

    /** @return academic title, e.g. {@code Dr. med.}, or null */
    public String title() { return title; }

    /** @return given name, or null */
    public String givenName() { return givenName; }

    /** @return surname, or null */
    public String surname() { return surname; }

    /** @return practice / organisation name, or null */
    public String organisation() { return organisation; }

    /** @return BSNR (Betriebsstättennummer, practice site number), or null */
    public String bsnr() { return bsnr; }

    /** @return LANR (lebenslange Arztnummer, lifelong physician number), or null */
    public String lanr() { return lanr; }

    /** @return street and house number, or null */
    public String street() { return street; }

    /** @return postal code, or null */
    public String postalCode() { return postalCode; }

    /** @return city, or null */
    public String city() { return city; }

    /** @return the KV (Kassenärztliche Vereinigung) the account belongs to, e.g. its two-digit number, or null */
    public String kv() { return kv; }

    /** @return the KV-Connect address {@code <username>@kv-safenet.de} */
    public String address() {
        return username + "@" + DOMAIN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmulatorAccount other && username.equals(other.username);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username);
    }

    @Override
    public String toString() {
        return "EmulatorAccount[" + address() + "]";
    }

    /** Builder for {@link EmulatorAccount}; also the shape of an entry in an accounts YAML/JSON file. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Builder {
        private String username;
        private String password;
        private boolean passwordChangeNeeded = true;
        private String title;
        private String givenName;
        private String surname;
        private String organisation;
        private String bsnr;
        private String lanr;
        private String street;
        private String postalCode;
        private String city;
        private String kv;

        private Builder() {
        }

        /**
         * @param v username (local part of the address)
         * @return this
         */
        public Builder username(String v) { this.username = v; return this; }

        /**
         * @param v initial password
         * @return this
         */
        @JsonAlias("initialPassword")
        public Builder password(String v) { this.password = v; return this; }

        /**
         * @param v whether the password must be changed first (default true)
         * @return this
         */
        public Builder passwordChangeNeeded(boolean v) { this.passwordChangeNeeded = v; return this; }

        /**
         * @param v academic title
         * @return this
         */
        public Builder title(String v) { this.title = v; return this; }

        /**
         * @param v given name
         * @return this
         */
        @JsonAlias("firstName")
        public Builder givenName(String v) { this.givenName = v; return this; }

        /**
         * @param v surname
         * @return this
         */
        @JsonAlias({"lastName", "sn"})
        public Builder surname(String v) { this.surname = v; return this; }

        /**
         * @param v practice / organisation
         * @return this
         */
        @JsonAlias({"practice", "o"})
        public Builder organisation(String v) { this.organisation = v; return this; }

        /**
         * @param v BSNR
         * @return this
         */
        public Builder bsnr(String v) { this.bsnr = v; return this; }

        /**
         * @param v LANR
         * @return this
         */
        public Builder lanr(String v) { this.lanr = v; return this; }

        /**
         * @param v street
         * @return this
         */
        public Builder street(String v) { this.street = v; return this; }

        /**
         * @param v postal code
         * @return this
         */
        public Builder postalCode(String v) { this.postalCode = v; return this; }

        /**
         * @param v city
         * @return this
         */
        @JsonAlias("l")
        public Builder city(String v) { this.city = v; return this; }

        /**
         * @param v KV
         * @return this
         */
        public Builder kv(String v) { this.kv = v; return this; }

        /**
         * @return the account
         * @throws IllegalArgumentException if the username is invalid or the password missing
         */
        public EmulatorAccount build() {
            return new EmulatorAccount(this);
        }
    }
}
