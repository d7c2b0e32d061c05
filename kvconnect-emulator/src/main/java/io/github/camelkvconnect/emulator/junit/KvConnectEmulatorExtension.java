package io.github.camelkvconnect.emulator.junit;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.github.camelkvconnect.emulator.EmulatorAdmin;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * JUnit 5 extension that starts a {@link KvConnectEmulator} once per test class (on free ports, in memory unless
 * configured otherwise) and stops it after the class. Test methods, constructors and lifecycle methods can take a
 * {@link KvConnectEmulator} or {@link EmulatorAdmin} parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static KvConnectEmulatorExtension emulator = KvConnectEmulatorExtension.builder()
 *         .configure(b -> b.account(EmulatorAccount.ready("praxis.a", "Secret12AB")))
 *         .build();
 *
 * @Test
 * void sends(KvConnectEmulator kvc) { ... kvc.restBaseUri() ... }
 * }</pre>
 *
 * {@code @ExtendWith(KvConnectEmulatorExtension.class)} also works and starts an emulator with defaults.
 */
public final class KvConnectEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final Consumer<KvConnectEmulator.Builder> configuration;
    private KvConnectEmulator emulator;
    /** The test class context that started the emulator; nested classes reuse it and must not stop it. */
    private String owner;

    /** An extension with default configuration (for {@code @ExtendWith}). */
    public KvConnectEmulatorExtension() {
        this(b -> { });
    }

    private KvConnectEmulatorExtension(Consumer<KvConnectEmulator.Builder> configuration) {
        this.configuration = configuration;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the running emulator (between beforeAll and afterAll) */
    public KvConnectEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("The KV-Connect emulator is not running; register the extension on a"
                    + " static field so it starts before all tests");
        }
        return emulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (emulator == null) {
            KvConnectEmulator.Builder builder = KvConnectEmulator.builder();
            configuration.accept(builder);
            emulator = builder.start();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (emulator != null && context.getUniqueId().equals(owner)) {
            emulator.close();
            emulator = null;
            owner = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KvConnectEmulator.class || type == EmulatorAdmin.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (emulator == null) {
            throw new ParameterResolutionException("The KV-Connect emulator is not running");
        }
        return parameter.getParameter().getType() == EmulatorAdmin.class ? emulator.admin() : emulator;
    }

    /** Builder for the extension. */
    public static final class Builder {
        private Consumer<KvConnectEmulator.Builder> configuration = b -> { };

        private Builder() {
        }

        /**
         * @param configurer adjusts the emulator builder (accounts, CSR processing, clock, data directory, ...);
         *                   may be called several times
         * @return this
         */
        public Builder configure(Consumer<KvConnectEmulator.Builder> configurer) {
            this.configuration = this.configuration.andThen(configurer);
            return this;
        }

        /**
         * @param account an account to create
         * @return this
         */
        public Builder account(io.github.camelkvconnect.emulator.EmulatorAccount account) {
            return configure(b -> b.account(account));
        }

        /** @return the extension */
        public KvConnectEmulatorExtension build() {
            return new KvConnectEmulatorExtension(configuration);
        }
    }
}
