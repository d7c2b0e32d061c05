/**
 * JUnit 5 support: {@link io.github.camelkvconnect.emulator.junit.KvConnectEmulatorExtension}.
 */
package io.github.camelkvconnect.emulator.junit;
