package io.github.camelkvconnect.emulator;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A real HTTPS client for the tests: {@link HttpClient} trusting only the emulator's exported TLS CA PEM, with the
 * JDK's default hostname verification.
 */
final class RestClient {

    private final HttpClient http;
    private final URI base;
    private String authorization;

    RestClient(KvConnectEmulator emulator) {
        this(emulator, emulator.restBaseUri());
    }

    RestClient(KvConnectEmulator emulator, URI base) {
        this.http = HttpClient.newBuilder()
                .sslContext(TestTls.trustingPem(emulator.tlsCaCertificatePem()))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.base = base;
    }

    RestClient basic(String username, String password) {
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    RestClient bearer(String token) {
        this.authorization = "Bearer " + token;
        return this;
    }

    RestClient anonymous() {
        this.authorization = null;
        return this;
    }

    HttpClient http() {
        return http;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        return send(request, http);
    }

    HttpResponse<String> send(HttpRequest request, HttpClient client) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes a path segment, including '/', '<', '>' and '@'. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Document xml(String text) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            throw new AssertionError("Not XML: " + text, e);
        }
    }

    static String text(String xml, String element) {
        NodeList nodes = xml(xml).getElementsByTagName(element);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    static List<String> texts(String xml, String element) {
        NodeList nodes = xml(xml).getElementsByTagName(element);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    static List<String> attributes(String xml, String element, String attribute) {
        NodeList nodes = xml(xml).getElementsByTagName(element);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(((Element) nodes.item(i)).getAttribute(attribute));
        }
        return out;
    }
}
