package dev.sprox.probe;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Every URI a playlist names, resolved, in playlist order: the rewriter enumerates them through a mapper that
 * records each one and changes nothing, so the probe reads playlists exactly as sprox does.
 */
record PlaylistLinks(String text, List<PlaylistUri> uris) {

    static PlaylistLinks read(String text, URI url) throws PlaylistException {
        var uris = new ArrayList<PlaylistUri>();
        PlaylistRewriter.rewrite(text, url, uri -> {
            uris.add(uri);
            return uri.written();
        });
        return new PlaylistLinks(text, List.copyOf(uris));
    }

    List<PlaylistUri> ofKind(ResourceKind kind) {
        return uris.stream().filter(u -> u.kind() == kind).toList();
    }

    /** A media playlist ends with EXT-X-ENDLIST once no segment will be added (VOD, or a finished event). */
    boolean isLive() {
        return text.lines().map(String::strip).noneMatch(line -> line.equals("#EXT-X-ENDLIST"));
    }
}
