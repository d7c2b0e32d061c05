package io.github.camelkvconnect.component;

/** The component version, used in the default X-KVC-Sendersystem value. */
public final class KvConnectVersion {

    /** The version of this component (from the jar manifest, or the development version). */
    public static final String VERSION = version();

    private KvConnectVersion() {
    }

    private static String version() {
        String v = KvConnectVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
