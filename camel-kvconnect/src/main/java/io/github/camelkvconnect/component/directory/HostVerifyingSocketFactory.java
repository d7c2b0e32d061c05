package io.github.camelkvconnect.component.directory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes the JDK verify, during the TLS handshake, that the LDAPS server's certificate names the host connected to
 * (endpoint identification "LDAPS", RFC 2830 rules). UnboundID's own host name check accepts any certificate when the
 * host is a numeric loopback address (127.0.0.0/8, ::1), so it is kept only as a second line.
 * <p>
 * TLS is layered over a TCP socket of {@code transport} (the directory search's counting sockets, {@link AnswerLimit}).
 * Unconnected sockets are therefore not offered: {@link #createSocket()} throws, and UnboundID then asks for a connected
 * socket ({@code createSocket(InetAddress, int)}), whose TLS session names the configured host (SNI and endpoint
 * identification), not a reverse lookup.
 */
final class HostVerifyingSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final SocketFactory transport;
    private final String configuredHost;

    HostVerifyingSocketFactory(SSLSocketFactory delegate, SocketFactory transport, String host) {
        this.delegate = delegate;
        this.transport = transport;
        this.configuredHost = host;
    }

    private Socket layered(Socket tcp) throws IOException {
        try {
            return verifying(delegate.createSocket(tcp, configuredHost, tcp.getPort(), true));
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    private static Socket verifying(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("LDAPS");
            ssl.setSSLParameters(parameters);
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    /** Not offered: an unconnected SSL socket would not read through the transport's socket. */
    @Override
    public Socket createSocket() throws IOException {
        throw new SocketException("unconnected sockets are not offered; connect with createSocket(host, port)");
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return verifying(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return layered(transport.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return layered(transport.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return layered(transport.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return layered(transport.createSocket(address, port, localAddress, localPort));
    }
}
