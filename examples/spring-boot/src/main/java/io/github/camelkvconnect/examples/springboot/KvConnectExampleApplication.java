package io.github.camelkvconnect.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A KV-Connect account's inbox and outbox as folders. Everything is configured in {@code application.yaml}: the
 * account through {@code camel.component.kvconnect.*} (camel-kvconnect-starter), the folders through
 * {@code kvconnect-example.*}. The routes are in {@link KvConnectRoutes}.
 */
@SpringBootApplication
public class KvConnectExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(KvConnectExampleApplication.class, args);
    }
}
