package dev.sprox.drm;

import dev.sprox.mp4.Mp4Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A buffer that refuses to grow past its bound, so a cleared init segment cannot take more memory than a moov. */
public final class BoundedBuffer extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private final int max;

    public BoundedBuffer(int max) {
        this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (bytes.size() + len > max) {
            throw new Mp4Exception(Mp4Exception.Reason.TOO_LARGE, "init segment larger than " + max + " bytes");
        }
        bytes.write(b, off, len);
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
