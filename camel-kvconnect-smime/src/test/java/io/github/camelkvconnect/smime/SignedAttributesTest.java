package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R17 signed-attribute tampering: the signature value is correct over the (tampered) signed attributes, so only the
 * attribute checks can catch it. Every variant is signed by a trusted signer whose untampered message is VALID
 * ({@link #untamperedAttributesAreValid()}), so a non-VALID result is due to the attribute alone.
 */
class SignedAttributesTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path work;

    /** The signed attributes BC would write: content-type, signing-time, message-digest (of the real content). */
    private static ASN1EncodableVector standard(java.util.Map<String, Object> parameters) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSAttributes.contentType, new DERSet((ASN1ObjectIdentifier) parameters.get(
                CMSAttributeTableGenerator.CONTENT_TYPE))));
        v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(new Date()))));
        v.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(
                (byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST)))));
        return v;
    }

    /** A multipart/signed of {@code entity} by Alice whose signed attributes are {@code attributes} of the standard ones. */
    private static byte[] signedWith(byte[] entity, java.util.function.Function<java.util.Map<String, Object>, ASN1EncodableVector> attributes)
            throws Exception {
        CMSAttributeTableGenerator generator = parameters -> {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> p = parameters;
            return new AttributeTable(attributes.apply(p));
        };
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(generator)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ALICE.privateKey()), ALICE.certificate()));
        g.addCertificates(new JcaCertStore(ALICE.chain()));
        byte[] sig = g.generate(new CMSProcessableByteArray(entity), false).getEncoded();
        String b = "----=_signed";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
                        + "boundary=\"" + b + "\"\r\n\r\n--" + b + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(entity);
        out.writeBytes(("\r\n--" + b + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Base64.getMimeEncoder(76, new byte[] { '\r', '\n' }).encode(sig));
        out.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private VerificationResult receive(byte[] plaintext) throws Exception {
        byte[] transport = TestMessages.transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), plaintext,
                BOB.certificate());
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(transport))) {
            return m.verification();
        }
    }

    private VerificationStatus tampered(UnaryOperator<ASN1EncodableVector> change) throws Exception {
        byte[] entity = toBytes(businessEntity("Befund"));
        return receive(signedWith(entity, p -> change.apply(standard(p)))).status();
    }

    private static ASN1EncodableVector without(ASN1EncodableVector v, ASN1ObjectIdentifier type) {
        ASN1EncodableVector result = new ASN1EncodableVector();
        for (int i = 0; i < v.size(); i++) {
            if (!Attribute.getInstance(v.get(i)).getAttrType().equals(type)) {
                result.add(v.get(i));
            }
        }
        return result;
    }

    @Test
    void untamperedAttributesAreValid() throws Exception {
        assertEquals(VerificationStatus.VALID, tampered(v -> v));
    }

    @Test
    void messageDigestOfOtherContentIsBadSignature() throws Exception {
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> {
            ASN1EncodableVector r = without(v, CMSAttributes.messageDigest);
            r.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(new byte[32]))));
            return r;
        }));
    }

    @Test
    void missingMessageDigestIsBadSignature() throws Exception {
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> without(v, CMSAttributes.messageDigest)));
    }

    @Test
    void missingContentTypeIsBadSignature() throws Exception {
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> without(v, CMSAttributes.contentType)));
    }

    @Test
    void duplicateContentTypeIsBadSignature() throws Exception {
        // two content-type attributes: one id-data (the real type), one claiming another type
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> {
            v.add(new Attribute(CMSAttributes.contentType, new DERSet(new ASN1ObjectIdentifier("1.2.840.113549.1.7.2"))));
            return v;
        }));
        // the same type twice in one attribute's value set
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> {
            ASN1EncodableVector r = without(v, CMSAttributes.contentType);
            ASN1EncodableVector values = new ASN1EncodableVector();
            values.add(new ASN1ObjectIdentifier("1.2.840.113549.1.7.1"));
            values.add(new ASN1ObjectIdentifier("1.2.840.113549.1.7.2"));
            r.add(new Attribute(CMSAttributes.contentType, new DERSet(values)));
            return r;
        }));
    }

    @Test
    void malformedSigningTimeIsNotValid() throws Exception {
        // not a Time at all, and a UTF8String that merely looks like one
        for (org.bouncycastle.asn1.ASN1Encodable value : new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1Integer(20261129), new DERUTF8String("20261129120000Z") }) {
            VerificationStatus status = tampered(v -> {
                ASN1EncodableVector r = without(v, CMSAttributes.signingTime);
                r.add(new Attribute(CMSAttributes.signingTime, new DERSet(value)));
                return r;
            });
            assertEquals(VerificationStatus.BAD_SIGNATURE, status, value.getClass().getSimpleName());
        }
        // two signing times
        assertEquals(VerificationStatus.BAD_SIGNATURE, tampered(v -> {
            v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(Instant.parse("2020-01-01T00:00:00Z"))))));
            return v;
        }));
    }
}
