package io.github.camelkvconnect.emulator.directory;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorException;
import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;

/**
 * The KV-Connect directory (Adressverzeichnis): a real LDAP server (UnboundID in-memory directory server) with an
 * LDAP and an LDAPS listener, base {@code ou=users,dc=kv-safenet,dc=de}, one {@code inetOrgPerson} entry per account
 * that holds a certificate. Clients read anonymously; writes over the wire are refused, only the emulator itself
 * publishes and withdraws entries. The directory is a view of the accounts, so it is rebuilt from them at start.
 */
public final class EmulatorDirectory implements AutoCloseable {

    /** The base DN of the user entries. */
    public static final String USERS_DN = "ou=users,dc=kv-safenet,dc=de";

    private final InMemoryDirectoryServer server;

    /**
     * @param bindAddress the address to listen on
     * @param ldapPort    plain LDAP port (0 = free port)
     * @param ldapsPort   LDAPS port (0 = free port)
     * @param ssl         the TLS context for LDAPS
     * @param faults      armed faults ({@link Endpoint#LDAP_SEARCH})
     */
    public EmulatorDirectory(InetAddress bindAddress, int ldapPort, int ldapsPort, SSLContext ssl, FaultState faults) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=kv-safenet,dc=de");
            config.setListenerConfigs(
                    InMemoryListenerConfig.createLDAPConfig("LDAP", bindAddress, ldapPort, null),
                    InMemoryListenerConfig.createLDAPSConfig("LDAPS", bindAddress, ldapsPort,
                            ssl.getServerSocketFactory(), ssl.getSocketFactory()));
            config.addInMemoryOperationInterceptor(new ClientInterceptor(faults));
            config.setEnforceAttributeSyntaxCompliance(true);
            server = new InMemoryDirectoryServer(config);
            server.add(new Entry("dc=kv-safenet,dc=de",
                    new Attribute("objectClass", "top", "domain"), new Attribute("dc", "kv-safenet")));
            server.add(new Entry(USERS_DN,
                    new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", "users")));
        } catch (LDAPException e) {
            throw new EmulatorException("Cannot set up the LDAP directory: " + e.getMessage(), e);
        }
    }

    /** Starts the listeners and publishes every account that has a certificate. */
    public void start(AccountRegistry accounts) {
        for (AccountRecord record : accounts.all()) {
            record.certificate().ifPresent(cert -> publish(record, cert));
        }
        try {
            server.startListening();
        } catch (LDAPException e) {
            throw new EmulatorException("Cannot start the LDAP listeners (port in use?): " + e.getMessage(), e);
        }
    }

    /** @return the plain LDAP port */
    public int ldapPort() {
        return server.getListenPort("LDAP");
    }

    /** @return the LDAPS port */
    public int ldapsPort() {
        return server.getListenPort("LDAPS");
    }

    /** @return the DN of the account's entry */
    public static String dn(String username) {
        return new com.unboundid.ldap.sdk.RDN("cn", username).toString() + "," + USERS_DN;
    }

    /** Publishes (or replaces) the account's entry with its certificate. */
    public synchronized void publish(AccountRecord record, X509Certificate certificate) {
        EmulatorAccount m = record.masterData();
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"));
        attributes.add(new Attribute("cn", m.username()));
        attributes.add(new Attribute("sn", m.surname() == null || m.surname().isBlank() ? m.username() : m.surname()));
        attributes.add(new Attribute("mail", m.address()));
        attributes.add(new Attribute("uid", record.uid()));
        add(attributes, "givenName", m.givenName());
        add(attributes, "title", m.title());
        add(attributes, "o", m.organisation());
        add(attributes, "street", m.street());
        add(attributes, "postalCode", m.postalCode());
        add(attributes, "l", m.city());
        attributes.add(new Attribute("userCertificate;binary", AccountRegistry.der(certificate)));
        try {
            String dn = dn(m.username());
            if (server.getEntry(dn) != null) {
                server.delete(dn);
            }
            server.add(new Entry(dn, attributes));
        } catch (LDAPException e) {
            throw new EmulatorException("Cannot publish " + m.username() + " in the directory: " + e.getMessage(), e);
        }
    }

    /** Removes the account's entry, if any. */
    public synchronized void withdraw(String username) {
        try {
            String dn = dn(username);
            if (server.getEntry(dn) != null) {
                server.delete(dn);
            }
        } catch (LDAPException e) {
            throw new EmulatorException("Cannot remove " + username + " from the directory: " + e.getMessage(), e);
        }
    }

    private static void add(List<Attribute> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.add(new Attribute(name, value));
        }
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    /**
     * Applies to requests that arrive over LDAP/LDAPS only (the emulator's own updates bypass it): refuses every write,
     * since the directory is read-only for clients, and applies armed search faults.
     */
    private static final class ClientInterceptor extends InMemoryOperationInterceptor {
        private final FaultState faults;

        ClientInterceptor(FaultState faults) {
            this.faults = faults;
        }

        @Override
        public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
            java.time.Duration latency = faults.latencyOf(Endpoint.LDAP_SEARCH);
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LDAPException(ResultCode.UNAVAILABLE, "The directory is shutting down");
                }
            }
            if (faults.consumeFailure(Endpoint.LDAP_SEARCH).isPresent()) {
                throw new LDAPException(ResultCode.UNAVAILABLE, "The directory is unavailable (emulated fault)");
            }
        }

        private static LDAPException refused() {
            return new LDAPException(ResultCode.UNWILLING_TO_PERFORM,
                    "The KV-Connect directory is read-only; entries are published when a certificate is issued");
        }

        @Override
        public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
            throw refused();
        }

        @Override
        public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
            throw refused();
        }

        @Override
        public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
            throw refused();
        }

        @Override
        public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request) throws LDAPException {
            throw refused();
        }
    }
}
