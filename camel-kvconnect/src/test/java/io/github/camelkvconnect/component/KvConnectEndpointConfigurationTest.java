package io.github.camelkvconnect.component;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvConnectEndpointConfigurationTest {

    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void componentConfigurationIsSharedButCopiedPerEndpoint() {
        KvConnectComponent component = context.getComponent("kvconnect", KvConnectComponent.class);
        component.getConfiguration().setServerUrl("https://kvc.example:8443/kvconnect/rest/");
        component.getConfiguration().setUsername("praxis.a");
        component.getConfiguration().setPassword("Geheim12AB");

        KvConnectEndpoint a = context.getEndpoint("kvconnect:praxis.a@kv-safenet.de?signaturePolicy=reject&maxMessagesPerPoll=5",
                KvConnectEndpoint.class);
        KvConnectEndpoint b = context.getEndpoint("kvconnect:praxis.b@kv-safenet.de?dienstkennungFilter=1ClickAbrechnung;*",
                KvConnectEndpoint.class);

        assertEquals("praxis.a@kv-safenet.de", a.getAddress());
        assertEquals(SignaturePolicy.reject, a.getConfiguration().getSignaturePolicy());
        assertEquals(5, a.getMaxMessagesPerPoll());
        assertEquals(SignaturePolicy.warn, b.getConfiguration().getSignaturePolicy(), "an endpoint option stays in its endpoint");
        assertEquals("1ClickAbrechnung;*", b.getConfiguration().getDienstkennungFilter());
        assertEquals("https://kvc.example:8443/kvconnect/rest/", b.getConfiguration().getServerUrl());
        assertNotSame(a.getConfiguration(), component.getConfiguration());
        assertEquals(SignaturePolicy.warn, component.getConfiguration().getSignaturePolicy());
    }

    @Test
    void configurationBeanFromTheRegistryIsCopiedPerEndpoint() {
        KvConnectConfiguration account = new KvConnectConfiguration();
        account.setServerUrl("https://kvc.example:8443/kvconnect/rest/");
        account.setUsername("praxis.c");
        account.setPassword("Geheim12AB");
        context.getRegistry().bind("praxisC", account);
        KvConnectEndpoint endpoint = context.getEndpoint(
                "kvconnect:praxis.c@kv-safenet.de?configuration=#praxisC&signaturePolicy=reject", KvConnectEndpoint.class);
        assertEquals("praxis.c", endpoint.getConfiguration().getUsername());
        assertEquals(SignaturePolicy.reject, endpoint.getConfiguration().getSignaturePolicy());
        assertEquals(SignaturePolicy.warn, account.getSignaturePolicy(), "the shared bean is not changed");
        assertNotSame(account, endpoint.getConfiguration());
    }

    @Test
    void generatedConfigurersAreUsed() {
        PropertyConfigurer endpointConfigurer = PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer("kvconnect-endpoint", context);
        assertNotNull(endpointConfigurer, "src/generated must be compiled into the module");
        assertTrue(endpointConfigurer.getClass().getSimpleName().startsWith("KvConnectEndpointConfigurer"));
    }

    @Test
    void rejectsInvalidAddressAndUnknownOptions() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("kvconnect:not-an-address"));
        assertInstanceOf(KvConnectInvalidHeaderException.class, e.getCause());
        assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("kvconnect:a@kv-safenet.de?noSuchOption=1"));
    }

    @Test
    void refusesPlainHttpServers() {
        Exception e = assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint(
                "kvconnect:a@kv-safenet.de?serverUrl=http://localhost:1/kvconnect/rest/&username=a&password=secret"));
        assertTrue(e.getMessage().contains("must be an https:// URL"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "no password in messages");
    }

    @Test
    void profileIsKvConnectOrKimInAnyCase() {
        String account = "kvconnect:a@kv-safenet.de?serverUrl=https://localhost:1/kvconnect/rest/&username=a&password=secret";
        assertEquals("kim", context.getEndpoint(account + "&profile=kim", KvConnectEndpoint.class).getConfiguration()
                .getProfile());
        Exception e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(account.replace("a@", "b@") + "&profile=SMIMEv2"));
        assertTrue(e.getMessage().contains("SMIMEv2") && e.getMessage().contains("profile=KIM"), e.getMessage());
    }
}
