package dev.sprox.route;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET and HEAD are retried after transport errors, within max_attempts and the retry budget; nothing else is. */
class RouteRetryTest extends WireMockHarness {
    private static final String RETRIES = "sprox_upstream_retries_total{route=\"vod\"}";
    private void startWithRetry(String retry) throws Exception {
        start(route("vod", "http://127.0.0.1:" + origin.port() + "/vod", "retry: " + retry));
    }

    private static final String DEFAULT_RETRY = "{max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 50, jitter: 0.2,"
            + " budget: {ratio: 0.2, window_ms: 10000, min_per_second: 10}}";

    @Test
    void resetOnceThenAnsweredIsOneRetryAndA200() throws Exception {
        origin.stubFor(get("/vod/a.ts").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));
        origin.stubFor(get("/vod/a.ts").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("segment")));
        startWithRetry(DEFAULT_RETRY);
        var response = fetch("/a.ts");
        assertEquals(200, response.statusCode());
        assertEquals("segment", response.body());
        assertEquals(1, metric(RETRIES));
        origin.verify(2, getRequestedFor(urlEqualTo("/vod/a.ts")));
    }

    @Test
    void alwaysResettingOriginIs502AfterExactlyMaxAttempts() throws Exception {
        origin.stubFor(get("/vod/a.ts").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        startWithRetry(DEFAULT_RETRY);
        assertEquals(502, fetch("/a.ts").statusCode());
        origin.verify(3, getRequestedFor(urlEqualTo("/vod/a.ts")));
        assertEquals(2, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"unreachable\",route=\"vod\"}"));
    }

    @Test
    void emptyResponseIsRetriedToo() throws Exception {
        origin.stubFor(get("/vod/a.ts").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        startWithRetry("{max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 10}");
        assertEquals(502, fetch("/a.ts").statusCode());
        origin.verify(2, getRequestedFor(urlEqualTo("/vod/a.ts")));
    }

    @Test
    void postWithABodyIsNeverRetried() throws Exception {
        origin.stubFor(post("/vod/upload").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        startWithRetry(DEFAULT_RETRY);
        var response = client.send(request("/upload").POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, response.statusCode());
        origin.verify(1, postRequestedFor(urlEqualTo("/vod/upload")));
        assertEquals(0, metric(RETRIES));
    }

    @Test
    void refusedConnectIsRetriedBySproxOnlyThen502() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start(route("vod", "http://127.0.0.1:" + closedPort + "/vod", "retry: " + DEFAULT_RETRY));
        assertEquals(502, fetch("/a.ts").statusCode());
        assertEquals(2, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"unreachable\",route=\"vod\"}"));
    }

    @Test
    void emptyBudgetRefusesTheFirstRetry() throws Exception {
        origin.stubFor(get("/vod/a.ts").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        startWithRetry("{max_attempts: 3, initial_delay_ms: 10, budget: {ratio: 0, min_per_second: 0}}");
        assertEquals(502, fetch("/a.ts").statusCode());
        origin.verify(1, getRequestedFor(urlEqualTo("/vod/a.ts")));
        assertEquals(0, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"retry_budget_exhausted\",route=\"vod\"}"));
    }
}
