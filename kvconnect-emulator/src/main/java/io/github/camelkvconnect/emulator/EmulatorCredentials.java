package io.github.camelkvconnect.emulator;

/**
 * A username/password pair, e.g. the admin API credentials. {@link #toString()} hides the password.
 *
 * @param username the username
 * @param password the password
 */
public record EmulatorCredentials(String username, String password) {

    @Override
    public String toString() {
        return "EmulatorCredentials[" + username + ", password hidden]";
    }
}
