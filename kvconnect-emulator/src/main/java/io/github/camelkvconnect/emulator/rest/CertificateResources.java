package io.github.camelkvconnect.emulator.rest;

import java.security.cert.X509Certificate;

import io.github.camelkvconnect.emulator.pki.CsrService;
import io.github.camelkvconnect.emulator.pki.Pem;
import io.github.camelkvconnect.emulator.store.AccountRecord;

/**
 * The certificate resources: fetching and deleting certificates, posting CSRs and polling their status.
 */
final class CertificateResources {

    private final ServerContext ctx;
    private final RestAuthenticator auth;

    CertificateResources(ServerContext ctx, RestAuthenticator auth) {
        this.ctx = ctx;
        this.auth = auth;
    }

    void certificate(HttpCall call) {
        auth.authenticate(call);
        String email = call.query("email");
        String uid = call.query("uid");
        if ((email == null) == (uid == null)) {
            throw new HttpProblem(400, "Give exactly one of the query parameters email or uid");
        }
        AccountRecord target = (email != null ? ctx.accounts().byAddress(email) : ctx.accounts().byUid(uid))
                .orElseThrow(() -> new HttpProblem(404, "No account " + (email != null ? email : uid)));
        X509Certificate cert = target.certificate()
                .orElseThrow(() -> new HttpProblem(404, "The account " + target.address() + " has no certificate"));
        call.xml(200, Xml.document().start("certificate")
                .element("id", cert.getSerialNumber().toString(16))
                .element("email", target.address())
                .element("body", Pem.encode(cert))
                .element("validFrom", Formats.iso(cert.getNotBefore().toInstant()))
                .element("validTo", Formats.iso(cert.getNotAfter().toInstant()))
                .end());
    }
    void deleteCertificate(HttpCall call, String uid) {
        AccountRecord a = auth.own(call, uid);
        if (!ctx.certificates().delete(a)) {
            throw new HttpProblem(404, "The account has no certificate");
        }
        call.empty(204);
    }
    void postCsr(HttpCall call) {
        AccountRecord a = auth.authenticate(call);
        if (a.passwordChangeNeeded()) {
            throw new HttpProblem(403, "The initial password must be changed (POST accounts/{uid}/password)"
                    + " before a certificate can be requested");
        }
        CsrService.Csr csr;
        try {
            csr = ctx.csrs().submit(a, call.bodyText());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        String path = RestApi.BASE + "csr/" + csr.id();
        call.responseHeader("Location", path);
        call.text(201, path);
    }
    void csrStatus(HttpCall call, String id) {
        AccountRecord a = auth.authenticate(call);
        CsrService.Csr csr = ctx.csrs().poll(id).orElseThrow(() -> new HttpProblem(404, "No CSR " + id));
        if (!csr.username().equalsIgnoreCase(a.username())) {
            throw new HttpProblem(403, "The CSR " + id + " belongs to another user");
        }
        Xml xml = Xml.document().start("csr-status").attribute("id", csr.id()).start("status-entries");
        for (CsrService.StatusEntry e : csr.entries()) {
            xml.start("status-entry").attribute("status", Integer.toString(e.status())).attribute("date", Formats.iso(e.date())).end();
        }
        xml.end();
        if (csr.reason() != null) {
            xml.element("message", csr.reason());
        }
        call.xml(200, xml.end());
    }
}
