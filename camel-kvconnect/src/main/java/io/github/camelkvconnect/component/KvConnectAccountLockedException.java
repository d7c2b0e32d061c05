package io.github.camelkvconnect.component;

import java.nio.file.Path;

/**
 * A consumer cannot start because another consumer (in this JVM or another process) already reads the same account
 * with the same state directory. Two consumers would share the local state of the account and could deliver a message
 * twice. Run one consumer per account, or stop the other one first.
 */
public class KvConnectAccountLockedException extends java.io.IOException {

    private static final long serialVersionUID = 1L;

    private final String account;

    public KvConnectAccountLockedException(String account, Path lockFile) {
        super("Another consumer already reads KV-Connect account " + account + " with this state directory (lock file "
              + lockFile + " is held). Run only one consumer per account and state directory, or stop the other one "
              + "first");
        this.account = account;
    }

    public String getAccount() {
        return account;
    }
}
