package dev.sprox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.QueryParameters;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignUrlCommandTest {
    private static final String SIGNING = "sign-url-command-test-signing";
    private static final String CONFIG = """
            listeners: [{id: public, host: 127.0.0.1, port: 8080}]
            direct_stream: {signing_secret: %s, signed_url_ttl_s: 300}
            """.formatted(SIGNING);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int signUrl(String routesYaml, String... options) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), routesYaml);
        var cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] args = new String[options.length + 3];
        args[0] = "sign-url";
        args[1] = "-c";
        args[2] = dir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return cli.execute(args);
    }

    private static QueryParameters query(String url) {
        return QueryParameters.parse(url.substring(url.indexOf('?') + 1));
    }

    @Test
    void printsAUrlTheServerWillAcceptForThatDestinationAndThoseHeaders() throws IOException {
        long now = Instant.now().getEpochSecond();
        assertEquals(0, signUrl(CONFIG, "--destination", "https://cdn.example.net/vod/seg-1.ts?token=t",
                "--header", "Referer=https://site/", "--header", "user_agent=Player/1"), err::toString);
        String url = out.toString().strip();
        assertTrue(url.startsWith("/proxy/stream/seg-1.ts?d=https%3A%2F%2Fcdn.example.net%2Fvod%2Fseg-1.ts%3Ftoken%3Dt"
                + "&h_referer=https%3A%2F%2Fsite%2F&h_user-agent=Player%2F1&exp="), url);
        var query = query(url);
        long exp = Long.parseLong(query.first("exp").orElseThrow());
        assertTrue(exp >= now + 300 && exp <= now + 302, () -> "exp " + exp);
        assertEquals(new UrlSigner.Verification.Valid(exp), new UrlSigner(new Secret(SIGNING)).verify(
                "https://cdn.example.net/vod/seg-1.ts?token=t",
                List.of(new UrlSigner.HeaderOverride("referer", "https://site/"),
                        new UrlSigner.HeaderOverride("user-agent", "Player/1")),
                query.first("exp").orElseThrow(), query.first("sig").orElseThrow(), now));
    }

    @Test
    void takesTtlBaseAndEndpoint() throws IOException {
        long now = Instant.now().getEpochSecond();
        assertEquals(0, signUrl(CONFIG, "--destination", "https://cdn.example.net/vod/master.m3u8", "--ttl", "2h",
                "--base", "https://sprox.example/", "--endpoint", "stream"), err::toString);
        String url = out.toString().strip();
        assertTrue(url.startsWith("https://sprox.example/proxy/stream/master.m3u8?d="), url);
        long exp = Long.parseLong(query(url).first("exp").orElseThrow());
        assertTrue(exp >= now + 7200 && exp <= now + 7202, () -> "exp " + exp);
    }

    @Test
    void aPlaylistGetsTheManifestEndpointByDefault() throws IOException {
        assertEquals(0, signUrl(CONFIG, "--destination", "https://cdn.example.net/vod/master.m3u8"), err::toString);
        assertTrue(out.toString().startsWith("/proxy/hls/manifest.m3u8?d="), out::toString);
    }

    @Test
    void refusesWithoutASigningSecret() throws IOException {
        assertEquals(1, signUrl("listeners: [{id: public, host: 127.0.0.1, port: 8080}]\n",
                "--destination", "https://cdn.example.net/a.ts"));
        assertTrue(err.toString().contains("direct_stream.signing_secret is not configured"), err::toString);
        assertEquals("", out.toString());
    }

    @Test
    void refusesAnInvalidConfigurationWithItsProblems() throws IOException {
        assertEquals(1, signUrl(CONFIG + "bogus: 1\n", "--destination", "https://cdn.example.net/a.ts"));
        assertTrue(err.toString().contains("bogus: unknown key"), err::toString);
    }

    @Test
    void refusesWhatTheDirectEndpointsWouldRefuse() throws IOException {
        assertEquals(2, signUrl(CONFIG, "--destination", "https://cdn.example.net/a.ts", "--header", "Cookie=a"));
        assertTrue(err.toString().contains("header override \"cookie\" is not allowed"), err::toString);
        assertEquals(2, signUrl(CONFIG, "--destination", "file:///etc/passwd"));
        assertEquals(2, signUrl(CONFIG, "--destination", "https://cdn.example.net/a.ts", "--header", "Referer"));
    }

    @Test
    void refusesATtlItCannotRead() throws IOException {
        for (String ttl : List.of("0", "1w", "-5", "400d", "1.5h")) {
            assertEquals(2, signUrl(CONFIG, "--destination", "https://cdn.example.net/a.ts", "--ttl", ttl), ttl);
        }
        assertTrue(err.toString().contains("--ttl"), err::toString);
    }

    @Test
    void decryptSealsTheKeysFileIntoTheUrlAndRefusesAMalformedOneWithoutEchoingIt() throws IOException {
        String key = "3c1f8a9e2b7d4c6e0f5a1b3d5e7f9a2c";
        Path keys = Files.writeString(dir.resolve("title.keys"), "# title 42\n6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c:"
                + key + "\n");
        assertEquals(0, signUrl(CONFIG, "--destination", "https://cdn.example.net/dash/manifest.mpd", "--decrypt",
                "--keys-file", keys.toString()), err::toString);
        String url = out.toString().strip();
        assertTrue(url.startsWith("/proxy/mpd/manifest.m3u8?d=") && url.contains("&decrypt=1&keys="), url);
        assertTrue(!url.contains(key), url);
        String token = query(url).first("keys").orElseThrow();
        assertTrue(new UrlSigner(new Secret(SIGNING)).unseal(token, Instant.now().getEpochSecond())
                instanceof UrlSigner.Unsealed.Valid, token);

        Path broken = Files.writeString(dir.resolve("broken.keys"), "6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1c " + key + "\n");
        assertTrue(signUrl(CONFIG, "--destination", "https://cdn.example.net/dash/manifest.mpd", "--decrypt",
                "--keys-file", broken.toString()) != 0);
        assertTrue(err.toString().contains("line 1 is not KID:KEY") && !err.toString().contains(key), err::toString);
        assertTrue(signUrl(CONFIG, "--destination", "https://cdn.example.net/vod/a.ts", "--keys-file",
                keys.toString()) != 0, "--keys-file without --decrypt");
    }
}
