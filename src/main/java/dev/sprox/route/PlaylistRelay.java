package dev.sprox.route;

import dev.sprox.config.Feature;
import dev.sprox.config.HlsConfig;
import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.ProgramDateTime;
import dev.sprox.hls.RewriteOptions;
import dev.sprox.server.Headers;
import dev.sprox.server.RequestError;
import dev.sprox.server.RequestRejected;
import dev.sprox.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Route mode for HLS: reads an origin playlist whole (never more than {@code max_playlist_bytes}) and rewrites
 * its URIs so the player comes back through sprox. A playlist that cannot be rewritten safely is a 502 with
 * the reason, never a half-rewritten one.
 */
final class PlaylistRelay {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+0-(\\d{1,18})/(\\d{1,18})",
            Pattern.CASE_INSENSITIVE);

    private PlaylistRelay() {}

    /**
     * Whether an origin's answer holds the whole playlist: a 200, or a 206 whose one range is the whole
     * representation, which is how origins answer the {@code Range: bytes=0-} that players such as ffmpeg send
     * with every request. Only a whole playlist can be rewritten.
     */
    static boolean isWhole(int status, Headers headers) {
        if (status == 200) {
            return true;
        }
        if (status != 206) {
            return false;
        }
        Matcher m = CONTENT_RANGE.matcher(headers.first("Content-Range").orElse("").strip());
        return m.matches() && Long.parseLong(m.group(1)) + 1 == Long.parseLong(m.group(2));
    }

    /** The whole body; a larger one is refused rather than buffered. */
    static byte[] read(UpstreamResponse upstream, int maxBytes) throws IOException {
        byte[] body;
        try (InputStream in = upstream.body()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw refused("playlist larger than " + maxBytes + " bytes");
        }
        return body;
    }

    /** @param playlistUrl where the playlist was fetched from, after redirects; relative URIs resolve against it */
    static byte[] rewrite(byte[] body, URI playlistUrl, HlsConfig hls, URI origin, Set<Feature> features) {
        var mapper = new RoutePlaylistMapper(origin, hls.baseUrl().orElseThrow(), playlistUrl,
                hls.allowInsecureSegments());
        String rewritten;
        try {
            rewritten = PlaylistRewriter.rewrite(utf8(body), playlistUrl, mapper,
                    RewriteOptions.defaults().withMaxChars(hls.maxPlaylistBytes()));
        } catch (PlaylistException e) {
            throw refused("malformed playlist: " + e.getMessage());
        }
        if (mapper.insecureReference().isPresent()) {
            throw refused("https playlist refers to http content and allow_insecure_segments is off");
        }
        if (features.contains(Feature.HLS_STRIP_PROGRAM_DATE_TIME)) {
            rewritten = ProgramDateTime.strip(rewritten);
        }
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw refused("playlist is not UTF-8 text");
        }
    }

    private static RequestRejected refused(String reason) {
        return new RequestRejected(RequestError.UPSTREAM_FAILED, "bad playlist from upstream: " + reason);
    }
}
