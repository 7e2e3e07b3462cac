package dev.sprox.direct;

import dev.sprox.dash.HlsConverter;
import dev.sprox.dash.IndexRequest;
import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdReader;
import dev.sprox.dash.MpdRewriter;
import dev.sprox.dash.SegmentIndexBox;
import dev.sprox.hls.DecryptingPlaylist;
import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.PlaylistRewriteSpan;
import dev.sprox.telemetry.Tracing;
import dev.sprox.upstream.OriginPlaylist;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of the direct DASH endpoints, made from an MPD the origin sent whole: the MPD rewritten
 * ({@code /proxy/mpd/manifest.mpd}), a multivariant HLS playlist ({@code /proxy/mpd/manifest.m3u8}) and one
 * Representation as a media playlist ({@code /proxy/mpd/playlist.m3u8}). Every URL in them comes back through sprox
 * ({@link DirectMpdMapper}); relative references resolve against the URL the MPD finally came from, after
 * redirects. An MPD that cannot be read or rewritten safely is a 502 with the reason.
 */
final class DirectDash {
    /** A segment index is a few KiB; more is not an index sprox will buffer. */
    static final int MAX_INDEX_BYTES = 1024 * 1024;

    private final Metrics metrics;
    private final InstantSource clock;
    private final MpdLimits limits;

    /** @param maxBytes {@code direct_stream.max_playlist_bytes}: the largest MPD read, as for playlists */
    DirectDash(Metrics metrics, InstantSource clock, int maxBytes) {
        this.metrics = metrics;
        this.clock = clock;
        this.limits = MpdLimits.defaults().withMaxChars(maxBytes);
    }

    /** Fetches {@code range} of {@code url} through the guarded client: the {@code sidx} a SegmentBase needs. */
    @FunctionalInterface
    interface IndexFetcher {
        byte[] fetch(URI url, Mpd.ByteRange range) throws IOException;
    }

    /** The MPD with every URL through sprox; a base naming the MPD's directory is added when it has none. */
    byte[] mpd(byte[] original, URI mpdUrl, HeaderOverrides overrides, UrlSigning signing, Tracing tracing) {
        return PlaylistRewriteSpan.observeMpd(tracing, metrics, original.length, () -> utf8(() ->
                MpdRewriter.rewrite(OriginPlaylist.text(original), mpdUrl, new DirectMpdMapper(overrides, signing),
                        limits, true)));
    }

    /**
     * One variant or rendition per Representation of the first Period, each a {@link DirectUrls#mpdPlaylist} of the
     * MPD as it was asked for ({@code destination}, so every reload follows its redirects again), naming that Period
     * when the MPD has several.
     */
    byte[] multivariant(byte[] original, URI mpdUrl, URI destination, HeaderOverrides overrides,
                        Decryption decryption, UrlSigning signing, Tracing tracing) {
        return PlaylistRewriteSpan.observeMpd(tracing, metrics, original.length, () -> utf8(() -> {
            Mpd mpd = MpdReader.read(OriginPlaylist.text(original), mpdUrl, limits);
            Optional<String> period = HlsConverter.periodName(mpd, 0);
            return HlsConverter.multivariant(mpd, representation -> DirectUrls.mpdPlaylist(destination, period,
                    representation.id(), overrides, decryption, signing));
        }));
    }

    /**
     * Representation {@code id} (of {@code period}, for an MPD of several) as a media playlist: what is available now,
     * for a live MPD. Decrypting, its init segments and segments (ranges of one file included) point at decrypting
     * URLs ({@link DecryptingPlaylist}).
     */
    byte[] mediaPlaylist(byte[] original, URI mpdUrl, Optional<String> period, String id, HeaderOverrides overrides,
                         Decryption decryption, UrlSigning signing, IndexFetcher fetcher, Tracing tracing)
            throws IOException {
        Mpd mpd = converted(() -> MpdReader.read(OriginPlaylist.text(original), mpdUrl, limits));
        List<IndexRequest> requests;
        try {
            requests = HlsConverter.indexRequests(mpd, period, id);
        } catch (MpdException unknown) {
            throw new RequestRejected(RequestError.NOT_FOUND, period.isEmpty()
                    ? "the MPD has no Representation with that id"
                    : "the MPD has no Representation with that id in that Period");
        }
        Map<IndexRequest, List<SegmentIndexBox.Subsegment>> indexes = new HashMap<>();
        for (IndexRequest request : requests) {
            if (request.range().length() > MAX_INDEX_BYTES) {
                throw OriginPlaylist.refused("segment index larger than " + MAX_INDEX_BYTES + " bytes");
            }
            byte[] box = fetcher.fetch(URI.create(request.url()), request.range());
            indexes.put(request, converted(() -> SegmentIndexBox.parse(box, request.range().first())));
        }
        if (!decryption.requested()) {
            return PlaylistRewriteSpan.observeMpd(tracing, metrics, original.length, () -> utf8(() ->
                    HlsConverter.mediaPlaylist(mpd, period, id, clock.instant(), indexes,
                            new DirectMpdMapper(overrides, signing), limits)));
        }
        return PlaylistRewriteSpan.observeMpd(tracing, metrics, original.length, () -> utf8(() -> {
            String absolute = HlsConverter.mediaPlaylist(mpd, period, id, clock.instant(), indexes,
                    PlaylistUri::absolute, limits);
            try {
                return DecryptingPlaylist.rewrite(absolute, new DecryptingUris(overrides, decryption, signing));
            } catch (PlaylistException e) {
                throw OriginPlaylist.refused(e);
            }
        }));
    }

    @FunctionalInterface
    private interface Conversion<T> {
        T run() throws MpdException;
    }

    private static byte[] utf8(Conversion<String> conversion) {
        return converted(conversion).getBytes(StandardCharsets.UTF_8);
    }

    /** The engine's refusals, and a mapper's ({@link DirectMpdMapper}), as the 502 they are. */
    private static <T> T converted(Conversion<T> conversion) {
        try {
            return conversion.run();
        } catch (MpdException e) {
            throw OriginPlaylist.refused("malformed MPD: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw OriginPlaylist.refused("MPD cannot be served through sprox: " + e.getMessage());
        }
    }
}
