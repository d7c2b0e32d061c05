package io.github.camelkvconnect.emulator.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.faults.FaultState.DeleteFailure;
import io.github.camelkvconnect.emulator.faults.FaultState.FetchDamage;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.MessageContent;
import io.github.camelkvconnect.emulator.store.MessageHeaders;
import io.github.camelkvconnect.emulator.store.StoredMessage;

/**
 * The mailbox resources: header list, fetch, delete, and sending ({@code POST mails}).
 */
final class MailResources {

    private final ServerContext ctx;
    private final RestAuthenticator auth;

    MailResources(ServerContext ctx, RestAuthenticator auth) {
        this.ctx = ctx;
        this.auth = auth;
    }

    void headers(HttpCall call, String uid) {
        AccountRecord a = auth.own(call, uid);
        List<StoredMessage> messages = ctx.mails().list(a.username());
        int from = index(call, "from", 0);
        int to = Math.min(index(call, "to", messages.size()), messages.size());
        if (from > to && from < messages.size()) {
            throw new HttpProblem(400, "Query parameter from (" + from + ") must not be greater than to (" + to + ")");
        }
        Xml xml = Xml.document().start("headers");
        for (int i = from; i < to; i++) {
            xml.start("header");
            messages.get(i).headers().forEach(xml::element);
            xml.end();
        }
        call.xml(200, xml.end());
    }
    private static int index(HttpCall call, String name, int fallback) {
        String value = call.query(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(value.trim());
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "Query parameter " + name + " must be a non-negative integer index, not '" + value + "'");
        }
    }
    void allMails(HttpCall call, String uid) throws IOException {
        AccountRecord a = auth.own(call, uid);
        List<StoredMessage> messages = ctx.mails().list(a.username());
        String boundary = "kvc-emulator-" + UUID.randomUUID();
        call.start(200, "multipart/mixed; boundary=\"" + boundary + "\"", 0);
        try (OutputStream out = call.stream()) {
            for (StoredMessage m : messages) {
                out.write(("--" + boundary + "\r\nContent-Type: message/rfc822\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = m.open()) {
                    in.transferTo(out);
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
    void mail(HttpCall call, String uid, String messageId) throws IOException {
        AccountRecord a = auth.own(call, uid);
        StoredMessage m = ctx.mails().find(a.username(), messageId)
                .orElseThrow(() -> new HttpProblem(404, "No message " + messageId + " in the mailbox"));
        FetchDamage damage = ctx.faults().consumeFetchDamage().orElse(null);
        if (damage != null) {
            call.bytes(200, "message/rfc822", damage(m.bytes(), damage));
            return;
        }
        InputStream in;
        try {
            in = m.open();
        } catch (java.nio.file.NoSuchFileException e) {
            // deleted by a concurrent DELETE between lookup and open
            throw new HttpProblem(404, "No message " + messageId + " in the mailbox");
        }
        try (in) {
            call.start(200, "message/rfc822", m.size() == 0 ? -1 : m.size());
            try (OutputStream out = call.stream()) {
                in.transferTo(out);
            }
        }
    }
    private static byte[] damage(byte[] raw, FetchDamage damage) {
        if (damage == FetchDamage.TRUNCATE) {
            return java.util.Arrays.copyOf(raw, raw.length / 2);
        }
        byte[] out = raw.clone();
        int middle = out.length / 2;
        for (int i = middle; i < Math.min(out.length, middle + 16); i++) {
            out[i] = (byte) (out[i] ^ 0x5A);
        }
        return out;
    }
    void deleteMail(HttpCall call, String uid, String messageId) {
        AccountRecord a = auth.own(call, uid);
        if (ctx.mails().find(a.username(), messageId).isEmpty()) {
            throw new HttpProblem(404, "No message " + messageId + " in the mailbox");
        }
        DeleteFailure failure = ctx.faults().consumeDeleteFailure().orElse(null);
        if (failure != null) {
            if (failure.deleteAnyway()) {
                ctx.mails().delete(a.username(), messageId);
            }
            throw new HttpProblem(failure.status(), "Deleting the message failed (emulated fault)");
        }
        ctx.mails().delete(a.username(), messageId);
        call.empty(204);
    }
    void send(HttpCall call) throws IOException {
        AccountRecord sender = auth.authenticate(call);
        try (MessageContent content = call.bodyContent(ctx.spool())) {
            MessageHeaders headers;
            try (InputStream in = content.open()) {
                headers = MessageHeaders.parse(in);
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(400, e.getMessage());
            }
            List<String> usernames = recipients(sender, headers);
            try {
                ctx.mails().deliver(content, headers, usernames, sender.username());
            } catch (MailStore.DuplicateMessageException e) {
                throw new HttpProblem(409, e.getMessage());
            }
            Xml xml = Xml.document().start("delivery").attribute("message-id", headers.messageId());
            headers.recipients().forEach(r -> xml.element("recipient", r));
            call.xml(200, xml.end());
        }
    }
    /** Checks the clear routing headers; @return the recipients' usernames */
    private List<String> recipients(AccountRecord sender, MessageHeaders headers) {
        if (headers.messageId() == null || MailStore.key(headers.messageId()).isEmpty()) {
            throw new HttpProblem(400, "The message has no Message-ID header; set one (<uuid@kv-safenet.de>)");
        }
        if (headers.from() == null) {
            throw new HttpProblem(400, "The message has no From header; set it to " + sender.address());
        }
        if (!headers.from().equalsIgnoreCase(sender.address())) {
            throw new HttpProblem(403, "From " + headers.from() + " does not match the authenticated account "
                    + sender.address());
        }
        if (headers.recipients().isEmpty()) {
            throw new HttpProblem(400, "The message has no To or Cc recipient in its clear headers");
        }
        List<String> usernames = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String address : headers.recipients()) {
            ctx.accounts().byAddress(address).ifPresentOrElse(r -> usernames.add(r.username()), () -> unknown.add(address));
        }
        if (!unknown.isEmpty()) {
            throw new HttpProblem(422, "Unknown recipient(s): " + String.join(", ", unknown)
                    + "; nothing was delivered. Only KV-Connect accounts (<username>@" + EmulatorAccount.DOMAIN
                    + ") can receive messages");
        }
        return usernames;
    }
}
