/**
 * A fake-but-faithful KV-Connect server for tests and local development: REST API 2.7 over HTTPS, LDAP directory,
 * Root and User CA, admin API and faults. Start one with {@link io.github.camelkvconnect.emulator.KvConnectEmulator#builder()}
 * or from the command line ({@link io.github.camelkvconnect.emulator.EmulatorMain}).
 */
package io.github.camelkvconnect.emulator;
