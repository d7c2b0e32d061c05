/**
 * The LDAP/LDAPS directory.
 * <p>
 * Internal to the emulator: not a stable API. Use {@link io.github.camelkvconnect.emulator.KvConnectEmulator} and
 * {@link io.github.camelkvconnect.emulator.EmulatorAdmin}.
 */
package io.github.camelkvconnect.emulator.directory;
