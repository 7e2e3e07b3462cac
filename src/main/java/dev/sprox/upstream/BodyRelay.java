package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies an origin's body to the client through one fixed buffer, so memory stays bounded whatever the size. */
public final class BodyRelay {
    private static final int BUFFER_SIZE = 64 * 1024;

    private BodyRelay() {}

    /** Closes {@code body} at the end, or when the client goes away, which cancels the origin's exchange. */
    public static void copy(InputStream body, OutputStream out) throws IOException {
        try (body) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                if (body.available() == 0) {
                    // The origin paused: the client gets what came so far instead of it waiting in our buffer.
                    out.flush();
                }
            }
        }
    }
}
