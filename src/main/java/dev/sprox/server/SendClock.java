package dev.sprox.server;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Notes when a write to the client started and has not yet returned, so a stalled one can be found. */
final class SendClock extends FilterOutputStream {
    private volatile long blockedSince;

    SendClock(OutputStream socketOutput) {
        super(socketOutput);
    }

    boolean blockedLongerThan(long now, long timeoutNanos) {
        long since = blockedSince;
        return since != 0 && now - since > timeoutNanos;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        blockedSince = System.nanoTime();
        try {
            out.write(data, offset, length);
        } finally {
            blockedSince = 0;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
