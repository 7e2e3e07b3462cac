package dev.sprox.route;

import dev.sprox.hls.HlsConfig;
import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.ProgramDateTime;
import dev.sprox.hls.RewriteOptions;
import dev.sprox.upstream.OriginPlaylist;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Route mode for HLS: rewrites a whole origin playlist ({@link OriginPlaylist}) so the player comes back through
 * sprox. A playlist that cannot be rewritten safely is a 502 with the reason, never a half-rewritten one.
 */
final class PlaylistRelay {
    private PlaylistRelay() {}

    /** @param playlistUrl where the playlist was fetched from, after redirects; relative URIs resolve against it */
    static byte[] rewrite(byte[] body, URI playlistUrl, HlsConfig hls, URI origin, Set<Feature> features) {
        var mapper = new RoutePlaylistMapper(origin, hls.baseUrl().orElseThrow(), playlistUrl,
                hls.allowInsecureSegments());
        String rewritten;
        try {
            rewritten = PlaylistRewriter.rewrite(OriginPlaylist.text(body), playlistUrl, mapper,
                    RewriteOptions.defaults().withMaxChars(hls.maxPlaylistBytes())
                            .withMaxOutputChars(hls.maxRewrittenPlaylistBytes()));
        } catch (PlaylistException e) {
            throw OriginPlaylist.refused(e);
        }
        if (mapper.insecureReference().isPresent()) {
            throw OriginPlaylist.refused("https playlist refers to http content and allow_insecure_segments is off");
        }
        if (features.contains(Feature.HLS_STRIP_PROGRAM_DATE_TIME)) {
            rewritten = ProgramDateTime.strip(rewritten);
        }
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }
}
