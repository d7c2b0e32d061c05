package io.github.camelkvconnect.component.rest;

/**
 * The server redirected the login to another origin (scheme, host or port) than the configured {@code serverUrl}. The
 * redirect is not followed: following it would send the account's credentials to that other server. Check
 * {@code serverUrl} (use the address the server redirects to, if it is genuinely the KV-Connect server) or ask the server
 * operator.
 */
public class RedirectRefusedException extends KvConnectRestException {

    private static final long serialVersionUID = 1L;

    public RedirectRefusedException(String what, int status, String configuredOrigin, String targetOrigin) {
        super("KV-Connect REST call GET " + what + " answered HTTP " + status + " with a redirect to " + targetOrigin
              + ", which is not the configured server " + configuredOrigin + "; not followed, so that the credentials are "
              + "not sent there. Check serverUrl", status, null);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
