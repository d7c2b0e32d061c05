package io.github.camelkvconnect.examples.oneclick.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.examples.oneclick.Begleitdatei;
import io.github.camelkvconnect.examples.oneclick.BegleitdateiException;
import io.github.camelkvconnect.examples.oneclick.OneClick;

/**
 * What the simulated KV checks on a received Lieferung: subject and Dienstkennung, exactly one Begleitdatei that is
 * valid, every file it names present as an attachment (names compared without case, as the KV must) and no
 * attachment it does not name, and a {@code name} parameter equal to the file name on every attachment.
 */
final class LieferungCheck {

    private static final int MAX_BEGLEITDATEI = 64 * 1024;
    private static final int MAX_DEPTH = 8;

    private LieferungCheck() {
    }

    static ReceivedLieferung check(Exchange exchange) throws MessagingException, IOException {
        Message m = exchange.getMessage();
        List<String> problems = new ArrayList<>();
        String subject = m.getHeader(KvConnectConstants.SUBJECT, String.class);
        String dienstkennung = m.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class);
        if (!OneClick.SUBJECT_LIEFERUNG.equals(subject)) {
            problems.add("Subject must be " + OneClick.SUBJECT_LIEFERUNG + ", was " + subject);
        }
        if (!OneClick.DIENSTKENNUNG_LIEFERUNG.equals(dienstkennung)) {
            problems.add("X-KVC-Dienstkennung must be " + OneClick.DIENSTKENNUNG_LIEFERUNG + ", was " + dienstkennung);
        }

        List<ReceivedLieferung.Part> parts = new ArrayList<>();
        List<byte[]> begleitdateien = new ArrayList<>();
        if (m.getBody() instanceof Part entity) {
            collect(entity, 0, parts, begleitdateien, problems);
        } else {
            problems.add("The message has no MIME body");
        }

        byte[] begleitdateiBytes = begleitdateien.isEmpty() ? null : begleitdateien.get(0);
        Begleitdatei begleitdatei = null;
        if (begleitdateien.size() != 1) {
            problems.add("Exactly one " + OneClick.BEGLEITDATEI + " is required, found " + begleitdateien.size());
        }
        if (begleitdateiBytes != null) {
            try {
                begleitdatei = Begleitdatei.parse(new ByteArrayInputStream(begleitdateiBytes));
                checkAttachmentsListed(begleitdatei, parts, problems);
            } catch (BegleitdateiException e) {
                problems.add(e.getMessage());
            }
        }
        return new ReceivedLieferung(m.getHeader(KvConnectConstants.MESSAGE_ID, String.class),
                m.getHeader(KvConnectConstants.FROM, String.class), subject, dienstkennung,
                m.getHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, String.class),
                m.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class), parts, begleitdateiBytes, begleitdatei,
                problems);
    }

    private static void collect(Part part, int depth, List<ReceivedLieferung.Part> parts, List<byte[]> begleitdateien,
                                List<String> problems) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            problems.add("MIME structure nested too deeply");
            return;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                collect(mp.getBodyPart(i), depth + 1, parts, begleitdateien, problems);
            }
            return;
        }
        String fileName = part.getFileName();
        String contentType = part.getContentType();
        byte[] begleitdatei = null;
        MessageDigest digest = sha256();
        long size;
        try (InputStream in = part.getInputStream();
             CountingOutputStream counter = new CountingOutputStream()) {
            if (OneClick.BEGLEITDATEI.equalsIgnoreCase(fileName)) {
                begleitdatei = in.readNBytes(MAX_BEGLEITDATEI);
                digest.update(begleitdatei);
                size = begleitdatei.length + in.transferTo(new DigestOutputStream(counter, digest));
            } else {
                in.transferTo(new DigestOutputStream(counter, digest));
                size = counter.count;
            }
        }
        if (begleitdatei != null) {
            begleitdateien.add(begleitdatei);
        }
        if (fileName != null && !fileName.equals(nameParameter(contentType))) {
            problems.add("Attachment " + fileName + ": the Content-Type name parameter must equal the file name");
        }
        parts.add(new ReceivedLieferung.Part(fileName, contentType, part.getDisposition(),
                part instanceof MimePart mp ? mp.getEncoding() : null, size, HexFormat.of().formatHex(digest.digest())));
    }

    /** The Begleitdatei names the other attachments; the names are compared without case (BGD0910). */
    private static void checkAttachmentsListed(Begleitdatei b, List<ReceivedLieferung.Part> parts, List<String> problems) {
        Set<String> listed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        listed.addAll(b.anhaenge());
        Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (ReceivedLieferung.Part p : parts) {
            if (p.fileName() != null && !p.fileName().equalsIgnoreCase(OneClick.BEGLEITDATEI)) {
                present.add(p.fileName());
            }
        }
        for (String name : listed) {
            if (!present.contains(name)) {
                problems.add("The Begleitdatei names " + name + ", but the Lieferung has no such attachment");
            }
        }
        for (String name : present) {
            if (!listed.contains(name)) {
                problems.add("Attachment " + name + " is not named in the Begleitdatei");
            }
        }
        if (b.anhaenge().stream().noneMatch(n -> n.toLowerCase(Locale.ROOT).endsWith(OneClick.KVDT_EXTENSION))) {
            problems.add("The Lieferung has no KVDT billing file (*" + OneClick.KVDT_EXTENSION + ")");
        }
    }

    private static String nameParameter(String contentType) {
        try {
            return contentType == null ? null : new ContentType(contentType).getParameter("name");
        } catch (ParseException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts and discards. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
