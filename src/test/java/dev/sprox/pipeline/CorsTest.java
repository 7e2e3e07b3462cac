package dev.sprox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.runtime.Sprox;
import dev.sprox.testing.RunningSprox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS as a browser meets it, through a running sprox. */
class CorsTest {
    @TempDir
    Path dir;

    private Sprox sprox;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.drain();
        }
        client.close();
    }

    private void start(String cors) throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), "listeners: [{id: public, host: 127.0.0.1, port: 0, serve: [ops]}]\n"
                + "cors: " + cors + "\n");
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();
    }

    private HttpResponse<String> send(String method, String... headers) throws Exception {
        int port = sprox.listeners().getFirst().boundAddress().getPort();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void preflightFromAnAllowedOriginIsGranted() throws Exception {
        start("{allow_origins: ['https://app.example.com'], allow_headers: [range], max_age_secs: 600}");
        var response = send("OPTIONS", "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "Range");
        assertEquals(204, response.statusCode());
        assertEquals("https://app.example.com", response.headers().firstValue("Access-Control-Allow-Origin")
                .orElseThrow());
        assertEquals("GET, HEAD, OPTIONS", response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
        assertEquals("range", response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
        assertEquals("600", response.headers().firstValue("Access-Control-Max-Age").orElseThrow());
        assertEquals(List.of("Origin"), response.headers().allValues("Vary"));
    }

    @Test
    void preflightFromAnotherOriginIsRefusedWithoutAGrant() throws Exception {
        start("{allow_origins: ['https://app.example.com']}");
        var response = send("OPTIONS", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET");
        assertEquals(403, response.statusCode());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void preflightForAMethodNotAllowedIsRefused() throws Exception {
        start("{allow_origins: ['https://app.example.com']}");
        assertEquals(403, send("OPTIONS", "Origin", "https://app.example.com", "Access-Control-Request-Method",
                "DELETE").statusCode());
    }

    @Test
    void answersToAnAllowedOriginExposeTheHeadersPlayersNeedToSeek() throws Exception {
        start("{allow_origins: ['*']}");
        var response = send("GET", "Origin", "https://any.example");
        assertEquals(200, response.statusCode());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("Content-Length, Content-Range, Accept-Ranges",
                response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow());
    }

    @Test
    void answersToOtherOriginsCarryNoGrantButVary() throws Exception {
        start("{allow_origins: ['https://app.example.com'], allow_credentials: true}");
        var response = send("GET", "Origin", "https://evil.example");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(List.of("Origin"), response.headers().allValues("Vary"));
    }

    @Test
    void credentialedGrantNamesTheOriginNeverTheWildcard() throws Exception {
        start("{allow_origins: ['https://app.example.com'], allow_credentials: true}");
        var response = send("GET", "Origin", "https://app.example.com");
        assertEquals("https://app.example.com", response.headers().firstValue("Access-Control-Allow-Origin")
                .orElseThrow());
        assertEquals("true", response.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
    }
}
