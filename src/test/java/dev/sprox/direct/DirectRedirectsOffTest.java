package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockResponse;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code follow_redirects: 0}: a redirect cannot be passed on, since its Location would lead around sprox. */
class DirectRedirectsOffTest extends DirectHarness {

    @Test
    void aRedirectIsABadGatewayAndItsLocationNeverReachesTheClient() throws Exception {
        startDirect("follow_redirects: 0");
        origin.answer("/old/a.ts", MockResponse.status(301).header("Location", "http://10.0.0.7/a.ts"));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(502, response.statusCode());
        assertEquals("upstream redirected and redirects are not followed\n", response.body());
        assertEquals(Optional.empty(), response.headers().firstValue("Location"));
        assertEquals(List.of("GET /old/a.ts"), origin.requests().stream().map(r -> r.method() + " " + r.target())
                .toList());
    }
}
