package io.github.camelkvconnect.examples.demo;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The demo's standard error, where the libraries log (SLF4J simple): control characters that a log line may carry
 * from outside (a file name or header quoted in a message) are replaced by {@code ?} before they reach the terminal:
 * ESC (terminal escape sequences), NUL, DEL, the other C0 controls except LF and TAB (line ends, stack trace indent),
 * a CR that does not end a line (it would overwrite the line shown), and the C1 controls (in UTF-8). A CR before LF is
 * kept (Windows line ends).
 * <p>
 * Byte-level on UTF-8 output: the bytes below 0x80 never occur inside a multi-byte character, and a C1 control is
 * the two bytes C2 80 to C2 9F.
 */
final class ControlCharacterFilter extends FilterOutputStream {

    private boolean pendingCr;
    private boolean pendingC2;

    ControlCharacterFilter(OutputStream out) {
        super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        b &= 0xff;
        if (pendingCr) {
            pendingCr = false;
            out.write(b == '\n' ? '\r' : '?');
        }
        if (pendingC2) {
            pendingC2 = false;
            if (b >= 0x80 && b <= 0x9f) {
                out.write('?');
                return;
            }
            out.write(0xc2);
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == 0xc2) {
            pendingC2 = true;
        } else if (b < 0x20 && b != '\n' && b != '\t' || b == 0x7f) {
            out.write('?');
        } else {
            out.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }
}
