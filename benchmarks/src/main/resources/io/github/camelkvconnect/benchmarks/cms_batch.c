/*
 * The openssl side of the per-message benchmark without process starts: the same CMS calls `openssl cms -sign`,
 * `-encrypt`, `-decrypt` and `-verify` make (libcrypto's CMS API), repeated in one process with the keys loaded once,
 * as the project's SmimeWriter/SmimeReader are built once. Compiled and run by the benchmark (OpenSslLibrary.java).
 *
 *   cms_batch sign-encrypt   WARMUP WINDOW ENTITY OUT signer.pem signer.key chain.pem recipient.pem sender.pem
 *   cms_batch decrypt-verify WARMUP WINDOW TRANSPORT OUT recipient.pem recipient.key root.pem
 *
 * Every message reads its input file and writes its output file. Prints "<messages> <wall seconds> <CPU seconds>
 * <library version>" of the timed window (after WARMUP seconds of untimed messages); exit code 1 with OpenSSL's errors
 * on stderr if any call fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static double clock_seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double now(void) {
    return clock_seconds(CLOCK_MONOTONIC);
}

static void fail(const char *what) {
    fprintf(stderr, "cms_batch: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static X509 *read_cert(const char *file) {
    BIO *in = BIO_new_file(file, "r");
    X509 *x = in == NULL ? NULL : PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (x == NULL) {
        fail(file);
    }
    BIO_free(in);
    return x;
}

static EVP_PKEY *read_key(const char *file) {
    BIO *in = BIO_new_file(file, "r");
    EVP_PKEY *k = in == NULL ? NULL : PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    if (k == NULL) {
        fail(file);
    }
    BIO_free(in);
    return k;
}

/* Keys and certificates, loaded once. */
static X509 *signer, *cert;
static EVP_PKEY *key;
static STACK_OF(X509) *chain, *recipients;
static X509_STORE *store;

/* -sign -binary (detached, S/MIME, streamed as `openssl cms` does for detached S/MIME), then -encrypt -aes256 -binary. */
static void sign_encrypt(const char *entity, const char *out_file) {
    int flags = CMS_DETACHED | CMS_BINARY | CMS_STREAM | CMS_PARTIAL;
    BIO *in = BIO_new_file(entity, "rb");
    BIO *signed_mime = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = in == NULL ? NULL : CMS_sign(NULL, NULL, chain, in, flags);
    if (cms == NULL || CMS_add1_signer(cms, signer, key, EVP_sha256(), flags) == NULL
        || !SMIME_write_CMS(signed_mime, cms, in, flags)) {
        fail("sign");
    }
    CMS_ContentInfo_free(cms);
    BIO_free(in);

    int eflags = CMS_BINARY | CMS_STREAM;
    BIO *out = BIO_new_file(out_file, "wb");
    CMS_ContentInfo *env = CMS_encrypt(recipients, signed_mime, EVP_aes_256_cbc(), eflags);
    if (out == NULL || env == NULL) {
        fail("encrypt");
    }
    BIO_printf(out, "From: alice@kv-safenet.de\r\nTo: bob@kv-safenet.de\r\nSubject: Arztbrief\r\n");
    if (!SMIME_write_CMS(out, env, signed_mime, eflags)) {
        fail("encrypt (write)");
    }
    CMS_ContentInfo_free(env);
    BIO_free(signed_mime);
    BIO_free(out);
}

/* -decrypt, then -verify -CAfile root.pem -purpose smimesign of the decrypted multipart/signed. */
static void decrypt_verify(const char *transport, const char *out_file) {
    BIO *in = BIO_new_file(transport, "rb");
    CMS_ContentInfo *env = in == NULL ? NULL : SMIME_read_CMS(in, NULL);
    BIO *plain = BIO_new(BIO_s_mem());
    if (env == NULL || !CMS_decrypt(env, key, cert, NULL, plain, 0)) {
        fail("decrypt");
    }
    CMS_ContentInfo_free(env);
    BIO_free(in);

    BIO *content = NULL;
    CMS_ContentInfo *sig = SMIME_read_CMS(plain, &content);
    BIO *out = BIO_new_file(out_file, "wb");
    if (sig == NULL || out == NULL || !CMS_verify(sig, NULL, store, content, out, 0)) {
        fail("verify");
    }
    CMS_ContentInfo_free(sig);
    BIO_free(content);
    BIO_free(plain);
    BIO_free(out);
}

int main(int argc, char **argv) {
    int se = argc == 11 && strcmp(argv[1], "sign-encrypt") == 0;
    int dv = argc == 9 && strcmp(argv[1], "decrypt-verify") == 0;
    if (!se && !dv) {
        fprintf(stderr, "usage: cms_batch sign-encrypt WARMUP WINDOW ENTITY OUT signer.pem signer.key chain.pem "
                        "recipient.pem sender.pem\n       cms_batch decrypt-verify WARMUP WINDOW TRANSPORT OUT "
                        "recipient.pem recipient.key root.pem\n");
        return 2;
    }
    double warmup = atof(argv[2]);
    double window = atof(argv[3]);
    const char *input = argv[4];
    const char *output = argv[5];
    if (se) {
        signer = read_cert(argv[6]);
        key = read_key(argv[7]);
        chain = sk_X509_new_null();
        sk_X509_push(chain, read_cert(argv[8]));
        recipients = sk_X509_new_null();
        sk_X509_push(recipients, read_cert(argv[9]));
        sk_X509_push(recipients, read_cert(argv[10]));
    } else {
        cert = read_cert(argv[6]);
        key = read_key(argv[7]);
        store = X509_STORE_new();
        if (store == NULL || !X509_STORE_load_file(store, argv[8]) || !X509_STORE_set_purpose(store, X509_PURPOSE_SMIME_SIGN)) {
            fail(argv[8]);
        }
    }
    double end = now() + warmup;
    do {
        se ? sign_encrypt(input, output) : decrypt_verify(input, output);
    } while (now() < end);
    long count = 0;
    double cpu_start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    double start = now();
    double t;
    do {
        se ? sign_encrypt(input, output) : decrypt_verify(input, output);
        count++;
        t = now();
    } while (t < start + window);
    double cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    printf("%ld %.6f %.6f %s\n", count, t - start, cpu, OpenSSL_version(OPENSSL_VERSION));
    return 0;
}
