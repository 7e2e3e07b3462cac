package dev.sprox.direct;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code follow_redirects: 0}: a redirect cannot be passed on, since its Location would lead around sprox. */
class DirectRedirectsOffTest extends DirectHarness {

    @Test
    void aRedirectIsABadGatewayAndItsLocationNeverReachesTheClient() throws Exception {
        startDirect("follow_redirects: 0");
        origin.stubFor(get("/old/a.ts").willReturn(aResponse().withStatus(301)
                .withHeader("Location", "http://10.0.0.7/a.ts")));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(502, response.statusCode());
        assertEquals("upstream redirected and redirects are not followed\n", response.body());
        assertEquals(Optional.empty(), response.headers().firstValue("Location"));
        origin.verify(1, getRequestedFor(urlEqualTo("/old/a.ts")));
    }
}
