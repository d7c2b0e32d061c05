package io.github.camelkvconnect.smime;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

import jakarta.mail.util.SharedFileInputStream;

/**
 * A business entity's file as Jakarta Mail parses it. {@link SharedFileInputStream} closes its file only when it and
 * every sub-stream made from it are closed, but Jakarta Mail never closes the sub-streams it keeps for the message body
 * and its parts: closing the stream alone would keep the file (decrypted content, or a caller's file) open until a
 * garbage collection. {@link #closeFile()} closes the file shared by all of them. The buffer is 64 KiB instead of the
 * default 2 KiB: a seek and a read call per 2 KiB were 40 % of signing a 100 MiB entity (docs/benchmarks.md).
 */
final class EntityFileStream extends SharedFileInputStream {

    EntityFileStream(File file) throws IOException {
        super(file, 64 * 1024);
    }

    void closeFile() throws IOException {
        RandomAccessFile shared = in;
        try {
            close();
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
    }
}
