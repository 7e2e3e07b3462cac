package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.HttpDate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 9110 §5.6.7: the one date format sprox writes, with a two-digit day and English names. */
class HttpDateTest {

    @Test
    void padsASingleDigitDayToTwoDigits() {
        assertEquals("Wed, 02 Dec 2026 09:41:47 GMT", HttpDate.format(Instant.parse("2026-12-02T09:41:47Z")));
    }

    @Test
    void padsHoursMinutesAndSecondsAndWritesMidnightAsZero() {
        assertEquals("Sun, 01 Mar 2026 00:00:05 GMT", HttpDate.format(Instant.parse("2026-03-01T00:00:05Z")));
    }

    @Test
    void theDateHeaderOnTheWireIsAnImfFixdate() throws Exception {
        try (TestServer server = TestServer.start()) {
            RawResponse response = server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
            String date = response.header("Date").orElseThrow();
            assertTrue(date.matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} "
                    + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
        }
    }
}
