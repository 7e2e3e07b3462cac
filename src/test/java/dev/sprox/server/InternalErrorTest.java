package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.telemetry.LogCapture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 500 is a bug: the client learns only the request id, the log gets the stack without secrets, a metric counts it. */
class InternalErrorTest {

    @Test
    void aBugIs500CountedAndLoggedWithItsStackButNotItsSecrets() throws IOException {
        try (TestServer server = TestServer.start(); LogCapture logs = new LogCapture()) {
            double before = TestServer.internalErrors();

            RawResponse response = server.exchange("GET /bug HTTP/1.1\r\nHost: test\r\nX-Request-Id: bug-1\r\n\r\n");

            assertEquals(500, response.status());
            assertEquals("internal error (request bug-1)\n", response.bodyText());
            assertEquals(before + 1, TestServer.internalErrors());
            List<String> errors = logs.containing("\"message\":\"request failed\"");
            assertEquals(1, errors.size(), logs.lines()::toString);
            String line = errors.getFirst();
            assertTrue(line.contains("\"request_id\":\"bug-1\""), line);
            assertTrue(line.contains("java.lang.IllegalStateException: cannot use http://origin.example/a.ts?token=REDACTED"),
                    line);
            assertTrue(line.contains("java.net.URISyntaxException: Illegal character: http://origin.example/a.ts?x=1&token=REDACTED"),
                    line);
            assertTrue(line.contains("at dev.sprox.server.TestServer"), line);
            assertEquals(List.of(), logs.containing(TestServer.BUG_SECRET));
            server.assertStillServes();
        }
    }
}
