package dev.sprox.route;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sprox follows an origin's redirects for GET itself, hop by hop, and never hands credentials to another host. */
class RouteRedirectTest extends WireMockHarness {
    private static String base() {
        return "http://127.0.0.1:" + origin.port();
    }

    private void startFollowing(int followMax, String... extras) throws Exception {
        String[] all = new String[extras.length + 1];
        all[0] = "redirect: {follow_max: " + followMax + "}";
        System.arraycopy(extras, 0, all, 1, extras.length);
        start(route("vod", base() + "/vod", all));
    }

    private static void redirect(String from, int status, String location) {
        origin.stubFor(get(from).willReturn(aResponse().withStatus(status).withHeader("Location", location)));
    }

    private static void answer(String path, String body) {
        origin.stubFor(get(path).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    @Test
    void chainOfTwoRedirectsIsFollowedToTheFinalAnswer() throws Exception {
        redirect("/vod/a", 302, "/vod/b");
        redirect("/vod/b", 301, base() + "/vod/c");
        answer("/vod/c", "final");
        startFollowing(3);
        var response = fetch("/a");
        assertEquals(200, response.statusCode());
        assertEquals("final", response.body());
    }

    @Test
    void moreRedirectsThanFollowMaxIs502() throws Exception {
        redirect("/vod/1", 302, "/vod/2");
        redirect("/vod/2", 302, "/vod/3");
        redirect("/vod/3", 302, "/vod/4");
        redirect("/vod/4", 302, "/vod/5");
        answer("/vod/5", "too far");
        startFollowing(3);
        assertEquals(502, fetch("/1").statusCode());
        origin.verify(0, getRequestedFor(urlEqualTo("/vod/5")));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"too_many_redirects\",route=\"vod\"}"));
    }

    @Test
    void exactlyFollowMaxRedirectsAreFollowed() throws Exception {
        redirect("/vod/1", 302, "/vod/2");
        redirect("/vod/2", 302, "/vod/3");
        redirect("/vod/3", 302, "/vod/4");
        answer("/vod/4", "last");
        startFollowing(3);
        assertEquals("last", fetch("/1").body());
    }

    @Test
    void followMaxZeroPassesTheRedirectToTheClient() throws Exception {
        redirect("/vod/a", 302, "/vod/b");
        startFollowing(0);
        var response = fetch("/a");
        assertEquals(302, response.statusCode());
        assertEquals(Optional.of("/vod/b"), response.headers().firstValue("Location"));
        origin.verify(0, getRequestedFor(urlEqualTo("/vod/b")));
    }

    @Test
    void relativeLocationIsResolvedAgainstTheRedirectingUrl() throws Exception {
        redirect("/vod/dir/a.m3u8", 302, "b.m3u8?v=2");
        answer("/vod/dir/b.m3u8?v=2", "playlist");
        startFollowing(3);
        assertEquals("playlist", fetch("/dir/a.m3u8").body());
    }

    @Test
    void credentialsAreNotSentToAnotherOriginButAreOnASameOriginHop() throws Exception {
        redirect("/vod/same", 302, "/vod/same-target");
        answer("/vod/same-target", "same");
        redirect("/vod/cross", 302, "http://localhost:" + origin.port() + "/vod/cross-target");
        answer("/vod/cross-target", "cross");
        startFollowing(3, "headers: {allow: [authorization]}");
        sprox.drain();
        start(route("vod", base() + "/vod", "redirect: {follow_max: 3, allow_hosts: [localhost]}",
                "headers: {allow: [authorization]}"));
        String[] credentials = {"Authorization", "Bearer t0k3n", "Cookie", "session=s1"};

        assertEquals("same", fetch("/same", credentials).body());
        origin.verify(1, getRequestedFor(urlEqualTo("/vod/same-target"))
                .withHeader("Authorization", equalTo("Bearer t0k3n")).withHeader("Cookie", equalTo("session=s1")));

        assertEquals("cross", fetch("/cross", credentials).body());
        origin.verify(1, getRequestedFor(urlEqualTo("/vod/cross")).withHeader("Authorization", equalTo("Bearer t0k3n")));
        origin.verify(1, getRequestedFor(urlEqualTo("/vod/cross-target"))
                .withHeader("Authorization", absent()).withHeader("Cookie", absent()));
    }

    @Test
    void redirectToANonHttpSchemeIs502() throws Exception {
        redirect("/vod/a", 302, "ftp://127.0.0.1/file");
        startFollowing(3);
        assertEquals(502, fetch("/a").statusCode());
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"bad_redirect\",route=\"vod\"}"));
    }

    @Test
    void postGetsTheRedirectPassedThroughUntouched() throws Exception {
        for (int status : new int[] {307, 302}) {
            origin.resetAll();
            origin.stubFor(post("/vod/upload").willReturn(aResponse().withStatus(status)
                    .withHeader("Location", "/vod/elsewhere").withBody("moved")));
            if (sprox == null) {
                startFollowing(3);
            }
            var response = client.send(request("/upload").POST(HttpRequest.BodyPublishers.ofString("data")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode());
            assertEquals(Optional.of("/vod/elsewhere"), response.headers().firstValue("Location"));
            assertEquals("moved", response.body());
            origin.verify(1, postRequestedFor(urlEqualTo("/vod/upload")));
            origin.verify(0, postRequestedFor(urlEqualTo("/vod/elsewhere")));
            origin.verify(0, getRequestedFor(urlEqualTo("/vod/elsewhere")));
        }
    }
}
