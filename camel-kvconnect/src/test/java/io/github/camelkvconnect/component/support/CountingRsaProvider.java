package io.github.camelkvconnect.component.support;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * A JCA provider with exactly the RSA services camel-kvconnect requests from a chosen provider, each passing the work
 * on to the JDK's own implementation (SunRsaSign, SunJCE) and counting it. A test that names it in the option
 * rsaProvider sees from the counters that the writer and the reader really used it.
 */
public final class CountingRsaProvider extends Provider {

    public static final String NAME = "KvcCountingRsa";

    private static final long serialVersionUID = 1L;

    /** Signatures created, signatures verified, RSA encryptions (key wrap), RSA decryptions (key unwrap). */
    public static final AtomicInteger SIGNED = new AtomicInteger();
    public static final AtomicInteger VERIFIED = new AtomicInteger();
    public static final AtomicInteger WRAPPED = new AtomicInteger();
    public static final AtomicInteger UNWRAPPED = new AtomicInteger();

    public CountingRsaProvider() {
        super(NAME, "1.0", "counts the RSA operations of camel-kvconnect tests, done by the JDK's providers");
        for (String signature : new String[] { "SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "RSASSA-PSS" }) {
            putService(new Service(this, "Signature", signature, CountingSignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return new CountingSignature(Signature.getInstance(signature, Signatures.JDK));
                }
            });
        }
        for (String transformation : new String[] { "RSA/ECB/PKCS1Padding", "RSA/ECB/OAEPPadding" }) {
            putService(new Service(this, "Cipher", transformation, CountingCipher.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    try {
                        return new CountingCipher(Cipher.getInstance(transformation, Ciphers.JDK));
                    } catch (NoSuchPaddingException e) {
                        throw new NoSuchAlgorithmException(e);
                    }
                }
            });
        }
    }

    public static void reset() {
        SIGNED.set(0);
        VERIFIED.set(0);
        WRAPPED.set(0);
        UNWRAPPED.set(0);
    }

    private static final class Signatures {
        static final Provider JDK = java.security.Security.getProvider("SunRsaSign");
    }

    private static final class Ciphers {
        static final Provider JDK = java.security.Security.getProvider("SunJCE");
    }

    /** Passes everything to a JDK Signature. */
    static final class CountingSignature extends SignatureSpi {
        private final Signature delegate;

        CountingSignature(Signature delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            delegate.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            delegate.initSign(privateKey);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            SIGNED.incrementAndGet();
            return delegate.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            VERIFIED.incrementAndGet();
            return delegate.verify(sigBytes);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            delegate.setParameter(params);
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return delegate.getParameters();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) throws InvalidParameterException {
            throw new InvalidParameterException("not supported");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) throws InvalidParameterException {
            throw new InvalidParameterException("not supported");
        }
    }

    /** Passes everything to a JDK Cipher. */
    static final class CountingCipher extends CipherSpi {
        private final Cipher delegate;
        private int mode;

        CountingCipher(Cipher delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineSetMode(String m) throws NoSuchAlgorithmException {
            if (!"ECB".equalsIgnoreCase(m)) {
                throw new NoSuchAlgorithmException(m);
            }
        }

        @Override
        protected void engineSetPadding(String padding) throws NoSuchPaddingException {
            // fixed by the transformation of the service
        }

        @Override
        protected int engineGetBlockSize() {
            return delegate.getBlockSize();
        }

        @Override
        protected int engineGetOutputSize(int inputLen) {
            return delegate.getOutputSize(inputLen);
        }

        @Override
        protected byte[] engineGetIV() {
            return delegate.getIV();
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return delegate.getParameters();
        }

        @Override
        protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
            mode = opmode;
            delegate.init(opmode, key, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            mode = opmode;
            delegate.init(opmode, key, params, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            mode = opmode;
            delegate.init(opmode, key, params, random);
        }

        @Override
        protected byte[] engineUpdate(byte[] input, int off, int len) {
            return delegate.update(input, off, len);
        }

        @Override
        protected int engineUpdate(byte[] input, int off, int len, byte[] output, int outOff) throws ShortBufferException {
            return delegate.update(input, off, len, output, outOff);
        }

        @Override
        protected byte[] engineDoFinal(byte[] input, int off, int len) throws IllegalBlockSizeException, BadPaddingException {
            count();
            return delegate.doFinal(input, off, len);
        }

        @Override
        protected int engineDoFinal(byte[] input, int off, int len, byte[] output, int outOff)
                throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
            count();
            return delegate.doFinal(input, off, len, output, outOff);
        }

        private void count() {
            (mode == Cipher.DECRYPT_MODE || mode == Cipher.UNWRAP_MODE ? UNWRAPPED : WRAPPED).incrementAndGet();
        }
    }
}
