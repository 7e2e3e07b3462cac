package dev.sprox.e2e;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg tests against {@link AbsoluteHlsOrigin}: one origin per test class, a configuration directory per test. */
abstract class AbsoluteHlsTest {
    @TempDir
    static Path work;
    static AbsoluteHlsOrigin streams;

    @TempDir
    Path config;

    @BeforeAll
    static void serveStreamsWithAbsoluteUris() throws IOException {
        streams = AbsoluteHlsOrigin.serve(work);
    }

    @AfterAll
    static void stopTheOrigin() {
        if (streams != null) {
            streams.close();
        }
    }
}
