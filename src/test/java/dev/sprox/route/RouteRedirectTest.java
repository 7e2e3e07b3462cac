package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sprox follows an origin's redirects for GET itself, hop by hop, and never hands credentials to another host. */
class RouteRedirectTest extends OriginHarness {
    private void startFollowing(int followMax, String... extras) throws Exception {
        String[] all = new String[extras.length + 1];
        all[0] = "redirect: {follow_max: " + followMax + "}";
        System.arraycopy(extras, 0, all, 1, extras.length);
        start(route("vod", origin.url("/vod"), all));
    }

    private void redirect(String from, int status, String location) {
        origin.answer(from, MockResponse.status(status).header("Location", location));
    }

    private void answer(String path, String body) {
        origin.answer(path, MockResponse.ok(body));
    }

    /** What reached the origin, as request lines. */
    private List<String> requestLines() {
        return origin.requests().stream().map(RecordedRequest::requestLine).toList();
    }

    /** The one request the origin got for {@code path}. */
    private RecordedRequest single(String path) {
        List<RecordedRequest> requests = origin.requests(path);
        assertEquals(1, requests.size(), requests::toString);
        return requests.getFirst();
    }

    @Test
    void chainOfTwoRedirectsIsFollowedToTheFinalAnswer() throws Exception {
        redirect("/vod/a", 302, "/vod/b");
        redirect("/vod/b", 301, origin.url("/vod/c"));
        answer("/vod/c", "final");
        startFollowing(3);
        var response = fetch("/a");
        assertEquals(200, response.statusCode());
        assertEquals("final", response.body());
        assertEquals(List.of("GET /vod/a HTTP/1.1", "GET /vod/b HTTP/1.1", "GET /vod/c HTTP/1.1"), requestLines());
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
        assertEquals(List.of(), origin.requests("/vod/5"));
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
        assertEquals(List.of(), origin.requests("/vod/b"));
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
        start(route("vod", origin.url("/vod"), "redirect: {follow_max: 3, allow_hosts: [localhost]}",
                "headers: {allow: [authorization]}"));
        String[] credentials = {"Authorization", "Bearer t0k3n", "Cookie", "session=s1"};

        assertEquals("same", fetch("/same", credentials).body());
        RecordedRequest sameHop = single("/vod/same-target");
        assertEquals(Optional.of("Bearer t0k3n"), sameHop.header("Authorization"));
        assertEquals(Optional.of("session=s1"), sameHop.header("Cookie"));

        assertEquals("cross", fetch("/cross", credentials).body());
        assertEquals(Optional.of("Bearer t0k3n"), single("/vod/cross").header("Authorization"));
        RecordedRequest crossHop = single("/vod/cross-target");
        assertEquals(Optional.empty(), crossHop.header("Authorization"));
        assertEquals(Optional.empty(), crossHop.header("Cookie"));
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
            origin.reset();
            origin.answer("/vod/upload", MockResponse.status(status).header("Location", "/vod/elsewhere")
                    .body("moved"));
            if (sprox == null) {
                startFollowing(3);
            }
            var response = client.send(request("/upload").POST(HttpRequest.BodyPublishers.ofString("data")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode());
            assertEquals(Optional.of("/vod/elsewhere"), response.headers().firstValue("Location"));
            assertEquals("moved", response.body());
            assertEquals(List.of("POST /vod/upload HTTP/1.1"), requestLines());
        }
    }
}
