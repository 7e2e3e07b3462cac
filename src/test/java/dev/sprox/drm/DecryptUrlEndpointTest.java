package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sprox.http.QueryParameters;
import dev.sprox.security.Secret;
import dev.sprox.security.TestSecrets;
import dev.sprox.security.UrlSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecryptUrlEndpointTest extends LicenceHarness {
    private static final String MPD = "d=https%3A%2F%2Fcdn.example.net%2Fdash%2Fmanifest.mpd";

    private HttpResponse<String> mint(String query, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address("admin").getPort()
                + DecryptUrlEndpoint.PATH + "?" + query)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mintsADecryptingUrlWithTheKeysSealedInsideItAndNowhereInClear() throws Exception {
        startLicences("", "");
        String keySet = "{\"keys\":[" + jwk(KID_A, TestSecrets.CONTENT_KEY_B_BASE64URL) + "]}";

        HttpResponse<String> minted = mint(MPD + "&ttl_s=600", keySet);

        assertEquals(200, minted.statusCode(), minted.body());
        String url = new ObjectMapper().readTree(minted.body()).get("url").asText();
        assertTrue(url.startsWith("/proxy/mpd/manifest.m3u8?d=") && url.contains("&decrypt=1&keys="), url);
        assertFalse(url.contains(TestSecrets.CONTENT_KEY_B) || url.contains(TestSecrets.CONTENT_KEY_B_BASE64URL), url);
        String token = QueryParameters.parse(url.substring(url.indexOf('?') + 1)).first("keys").orElseThrow();
        var opened = assertInstanceOf(UrlSigner.Unsealed.Valid.class, new UrlSigner(new Secret(SIGNING_SECRET))
                .unseal(token, Instant.now().getEpochSecond()));
        Map<Kid, ContentKey> keys = KeyToken.keys(opened.content()).orElseThrow();
        assertEquals(TestSecrets.CONTENT_KEY_B, java.util.HexFormat.of().formatHex(keys.get(KID_A).material()));
    }

    @Test
    void refusesWhatIsNotAKeySetAndEndpointsThatWriteNoHls() throws Exception {
        startLicences("", "");
        String keySet = "{\"keys\":[" + jwk(KID_A, TestSecrets.CONTENT_KEY_A_BASE64URL) + "]}";
        assertEquals(400, mint(MPD, "{\"keys\":[]}").statusCode());
        assertEquals(400, mint(MPD, "{\"keys\":[" + jwk(KID_A, "short") + "]}").statusCode());
        assertEquals(400, mint(MPD, "not json").statusCode());
        assertEquals(400, mint(MPD + "&endpoint=stream", keySet).statusCode());
        assertEquals(413, mint(MPD, " ".repeat(KeyServerClient.MAX_ANSWER_BYTES + 1)).statusCode());
    }
}
