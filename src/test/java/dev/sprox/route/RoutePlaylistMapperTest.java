package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutePlaylistMapperTest {
    private static final URI ORIGIN = URI.create("https://origin.example/vod/");
    private static final URI BASE = URI.create("https://edge.example/hls");

    private static RoutePlaylistMapper mapper(String playlistUrl, boolean allowInsecure) {
        return new RoutePlaylistMapper(ORIGIN, BASE, URI.create(playlistUrl), allowInsecure);
    }

    private static String rewrite(String playlist, RoutePlaylistMapper mapper, String playlistUrl)
            throws PlaylistException {
        return PlaylistRewriter.rewrite(playlist, URI.create(playlistUrl), mapper);
    }

    @Test
    void mapsOriginPathsOntoTheBaseUrl() throws PlaylistException {
        var mapper = mapper("https://origin.example/vod/a/index.m3u8", false);
        assertEquals("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"https://edge.example/hls/keys/k1?x=1\"\n"
                        + "#EXTINF:4,\nhttps://edge.example/hls/a/s1.ts\n",
                rewrite("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k1?x=1\"\n#EXTINF:4,\ns1.ts\n", mapper,
                        "https://origin.example/vod/a/index.m3u8"));
    }

    @Test
    void pathOutsideTheOriginPrefixIsLeftAbsolute() throws PlaylistException {
        var mapper = mapper("https://origin.example/vod/index.m3u8", false);
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttps://origin.example/other/s1.ts\n",
                rewrite("#EXTM3U\n#EXTINF:4,\n/other/s1.ts\n", mapper, "https://origin.example/vod/index.m3u8"));
    }

    @Test
    void httpReferenceInAnHttpsPlaylistIsNoted() throws PlaylistException {
        var mapper = mapper("https://origin.example/vod/index.m3u8", false);
        rewrite("#EXTM3U\n#EXTINF:4,\nhttp://cdn.example/s1.ts\n", mapper, "https://origin.example/vod/index.m3u8");
        assertEquals(Optional.of("http://cdn.example/s1.ts"), mapper.insecureReference());
    }

    @Test
    void httpReferenceIsFineWhenTheRouteAllowsIt() throws PlaylistException {
        var mapper = mapper("https://origin.example/vod/index.m3u8", true);
        rewrite("#EXTM3U\n#EXTINF:4,\nhttp://cdn.example/s1.ts\n", mapper, "https://origin.example/vod/index.m3u8");
        assertEquals(Optional.empty(), mapper.insecureReference());
    }
}
