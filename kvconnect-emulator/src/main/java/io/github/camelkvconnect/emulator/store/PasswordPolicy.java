package io.github.camelkvconnect.emulator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The KV-Connect password policy as vendor documentation reports it: at least 8 characters, at least 2 upper-case
 * letters, at least 2 lower-case letters and at least 1 digit.
 */
public final class PasswordPolicy {

    private PasswordPolicy() {
    }

    /**
     * @param password the new password
     * @return a message naming every rule the password breaks, or empty if it is acceptable
     */
    public static Optional<String> violations(String password) {
        List<String> broken = new ArrayList<>();
        if (password.length() < 8) {
            broken.add("at least 8 characters");
        }
        if (password.chars().filter(Character::isUpperCase).count() < 2) {
            broken.add("at least 2 upper-case letters");
        }
        if (password.chars().filter(Character::isLowerCase).count() < 2) {
            broken.add("at least 2 lower-case letters");
        }
        if (password.chars().noneMatch(Character::isDigit)) {
            broken.add("at least 1 digit");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            broken.add("no control characters");
        }
        return broken.isEmpty() ? Optional.empty()
                : Optional.of("The new password does not satisfy the password policy; it needs " + String.join(", ", broken));
    }
}
