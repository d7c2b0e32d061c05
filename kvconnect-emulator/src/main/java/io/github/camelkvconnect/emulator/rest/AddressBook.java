package io.github.camelkvconnect.emulator.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.pki.Pem;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;

/**
 * The bulk address book ({@code /vzd/accounts.json.zip} and {@code .xml.zip}): every account that has a certificate,
 * as one zip entry {@code accounts.json} / {@code accounts.xml}. The field names are this project's own (the real
 * ones are not public).
 */
final class AddressBook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AddressBook() {
    }

    static byte[] jsonZip(AccountRegistry accounts) {
        List<Map<String, String>> entries = new ArrayList<>();
        for (AccountRecord r : accounts.all()) {
            r.certificate().ifPresent(cert -> entries.add(fields(r, Pem.encode(cert))));
        }
        try {
            return zip("accounts.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] xmlZip(AccountRegistry accounts) {
        Xml xml = Xml.document().start("accounts");
        for (AccountRecord r : accounts.all()) {
            r.certificate().ifPresent(cert -> {
                Map<String, String> f = fields(r, Pem.encode(cert));
                xml.start("account").attribute("uid", r.uid());
                f.forEach((name, value) -> {
                    if (!"uid".equals(name)) {
                        xml.element(name, value);
                    }
                });
                xml.end();
            });
        }
        return zip("accounts.xml", xml.end().toXml().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> fields(AccountRecord r, String certificatePem) {
        EmulatorAccount m = r.masterData();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("uid", r.uid());
        f.put("username", m.username());
        f.put("mail", m.address());
        put(f, "title", m.title());
        put(f, "givenName", m.givenName());
        put(f, "surname", m.surname());
        put(f, "organisation", m.organisation());
        put(f, "street", m.street());
        put(f, "postalCode", m.postalCode());
        put(f, "city", m.city());
        put(f, "kv", m.kv());
        f.put("certificate", certificatePem);
        return f;
    }

    private static void put(Map<String, String> f, String name, String value) {
        if (value != null) {
            f.put(name, value);
        }
    }

    private static byte[] zip(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
