package io.github.camelkvconnect.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.Message;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;
import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.SmimeWriter;

/**
 * Messages of two layers through the emulator: a gateway (an account of the emulator's PKI) signs and encrypts a
 * complete KV-Connect message whose author's certificate chains to no configured anchor, or which is not signed at
 * all. The consumer reports the worst layer in CamelKvConnectSignatureStatus and every layer in
 * CamelKvConnectSignatureLayers, outermost first.
 */
class SignatureLayersTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void innerUntrustedSignerUnderAValidGatewaySignatureIsReportedPerLayer() throws Exception {
        EmulatorFixture.Account bob = kvc.account("bob.layers");
        EmulatorFixture.Account gateway = kvc.account("gateway.layers");

        // the author: a key with a self-signed certificate, i.e. outside the emulator's PKI
        KeyPair keys = TestKeys.rsa();
        String author = "author.layers@kv-safenet.de";
        SmimeCredentials untrusted = new SmimeCredentials(keys.getPrivate(),
                List.of(TestKeys.selfSigned(keys, "EMAILADDRESS=" + author + ",CN=author")));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", author);
        headers.put("To", bob.address());
        headers.put("Subject", "Befund");
        headers.put("Message-ID", "<" + unique("inner") + "@kv-safenet.de>");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeWriter.builder().credentials(untrusted).certificateResolver(address -> List.of(bob.certificate())).build()
                .write(textEntity("Befund der Praxis"), headers, inner);

        // the gateway's layer around the complete message
        inject(gateway, gateway.keystore(), bob, embedded(inner.toByteArray()), Map.of());

        Message in = receive(bob, "", 1).getReceivedExchanges().get(0).getMessage();
        assertEquals("UNTRUSTED_CHAIN", in.getHeader(KvConnectConstants.SIGNATURE_STATUS),
                () -> String.valueOf(in.getHeader(KvConnectConstants.SIGNATURE_DETAIL)));
        assertEquals(List.of("VALID", "UNTRUSTED_CHAIN"), in.getHeader(KvConnectConstants.SIGNATURE_LAYERS));
        assertEquals(Boolean.FALSE, in.getHeader(KvConnectConstants.SIGNATURE_VALID));
        assertEquals(author, in.getHeader(KvConnectConstants.SIGNER_ADDRESS), "the worst layer's signer");
        assertEquals(author, in.getHeader(KvConnectConstants.FROM), "the author's headers, not the gateway's");
        assertEquals("Befund der Praxis", in.getHeader(KvConnectConstants.TEXT));
    }

    @Test
    void unsignedInnerLayerUnderAValidGatewaySignatureIsNotValid() throws Exception {
        EmulatorFixture.Account dora = kvc.account("dora.layers");
        EmulatorFixture.Account gateway = kvc.account("gateway2.layers");
        // the inner layer: encrypted for Dora, but signed by nobody
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        g.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(dora.certificate()));
        byte[] der = g.generate(new CMSProcessableByteArray("Content-Type: text/plain\r\n\r\nPay to account 123\r\n"
                .getBytes(StandardCharsets.US_ASCII)), new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build())
                .getEncoded();
        byte[] inner = ("From: " + gateway.address() + "\r\nTo: " + dora.address() + "\r\nSubject: Befund\r\n"
                        + "Message-ID: <" + unique("unsigned") + "@kv-safenet.de>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder().encodeToString(der) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        inject(gateway, gateway.keystore(), dora, embedded(inner), Map.of());

        Message in = receive(dora, "", 1).getReceivedExchanges().get(0).getMessage();
        assertEquals("UNSIGNED", in.getHeader(KvConnectConstants.SIGNATURE_STATUS),
                () -> String.valueOf(in.getHeader(KvConnectConstants.SIGNATURE_DETAIL)));
        assertEquals(List.of("VALID", "UNSIGNED"), in.getHeader(KvConnectConstants.SIGNATURE_LAYERS));
        assertEquals(Boolean.FALSE, in.getHeader(KvConnectConstants.SIGNATURE_VALID));
    }

    /** A complete message as a 7bit part (as the KVC-Mobile gateway of the reference vector embeds it). */
    private static MimeBodyPart embedded(byte[] message) throws Exception {
        InternetHeaders partHeaders = new InternetHeaders();
        partHeaders.addHeader("Content-Type", "application/pkcs7-mime; name=\"smime.p7m\"; smime-type=enveloped-data");
        partHeaders.addHeader("Content-Transfer-Encoding", "7bit");
        return new MimeBodyPart(partHeaders, message);
    }
}
