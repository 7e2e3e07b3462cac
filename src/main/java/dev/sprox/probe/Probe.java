package dev.sprox.probe;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * A synthetic playback: master playlist, one variant's media playlist, its first and last segments, the keys
 * and init sections it names, and for a live stream a second fetch that must show it moving. Stops at the
 * first failure that leaves nothing further to check.
 */
public final class Probe {
    /** RFC 8216 §6.2.1: a live playlist must change within 1.5 target durations of its last change. */
    private static final double LIVE_UPDATE_FACTOR = 1.5;
    private static final int AES_128_KEY_BYTES = 16;

    private final Fetcher fetcher;
    private final VariantChoice variantChoice;
    private final int edgeSegments;
    private final List<Check> checks = new ArrayList<>();

    private Probe(Fetcher fetcher, VariantChoice variantChoice, int edgeSegments) {
        this.fetcher = fetcher;
        this.variantChoice = variantChoice;
        this.edgeSegments = edgeSegments;
    }

    /**
     * @param via          scheme://host:port every request is sent to instead, path and query kept
     * @param edgeSegments how many segments from the start and from the end of the media playlist
     */
    public static ProbeReport run(URI url, Optional<URI> via, VariantChoice choice, int edgeSegments,
                                  Duration timeout) throws InterruptedException {
        try (var fetcher = new Fetcher(via, timeout)) {
            var probe = new Probe(fetcher, choice, edgeSegments);
            probe.start(url);
            return new ProbeReport(url, probe.checks);
        }
    }

    private void start(URI url) throws InterruptedException {
        Optional<Playlist> first = playlist("master", url);
        if (first.isEmpty()) {
            return;
        }
        List<StreamInf.Variant> variants = StreamInf.variants(first.get().links());
        if (variants.isEmpty()) {
            media(first.get()); // a media playlist given directly
            return;
        }
        Optional<StreamInf.Variant> chosen = variantChoice.from(variants);
        if (chosen.isEmpty()) {
            checks.add(Check.fail("variant", url, "no variant " + variantChoice + " among " + variants.size()));
            return;
        }
        checks.add(Check.pass("variant", chosen.get().uri().toUri(), variantChoice + " of " + variants.size()
                + ", BANDWIDTH=" + chosen.get().bandwidth()));
        Optional<Playlist> media = playlist("media", chosen.get().uri().toUri());
        if (media.isPresent()) {
            media(media.get());
        }
    }

    private void media(Playlist playlist) throws InterruptedException {
        List<PlaylistUri> segments = playlist.links().ofKind(ResourceKind.SEGMENT);
        if (segments.isEmpty()) {
            checks.add(Check.fail("media", playlist.url(), "the media playlist names no segment"));
            return;
        }
        for (URI uri : distinct(playlist.links().ofKind(ResourceKind.INIT_SECTION))) {
            media("init", uri);
        }
        for (URI uri : distinct(playlist.links().ofKind(ResourceKind.KEY))) {
            key(uri);
        }
        for (URI uri : distinct(edges(segments))) {
            media("segment", uri);
        }
        if (playlist.links().isLive()) {
            live(playlist, segments);
        }
    }

    private List<PlaylistUri> edges(List<PlaylistUri> segments) {
        int n = Math.min(edgeSegments, segments.size());
        var edges = new ArrayList<>(segments.subList(0, n));
        edges.addAll(segments.subList(segments.size() - n, segments.size()));
        return edges;
    }

    private void media(String what, URI uri) throws InterruptedException {
        fetch(what, uri).ifPresent(fetched -> {
            Optional<MediaFormat> format = MediaFormat.sniff(fetched.body());
            if (format.isEmpty()) {
                checks.add(Check.fail(what, uri, "neither MPEG-TS, fMP4, packed audio nor WebVTT ("
                        + fetched.body().length + " bytes, " + describe(fetched.contentType()) + ")"));
            } else {
                checks.add(Check.pass(what, uri, fetched.status() + " " + format.get() + ", "
                        + fetched.body().length + " bytes"));
            }
        });
    }

    private void key(URI uri) throws InterruptedException {
        fetch("key", uri).ifPresent(fetched -> checks.add(fetched.body().length == AES_128_KEY_BYTES
                ? Check.pass("key", uri, fetched.status() + ", " + AES_128_KEY_BYTES + " bytes")
                : Check.fail("key", uri, "a key is " + AES_128_KEY_BYTES + " bytes, got " + fetched.body().length)));
    }

    private void live(Playlist playlist, List<PlaylistUri> segments) throws InterruptedException {
        Duration wait = Duration.ofMillis((long) (targetDuration(playlist.links().text()) * LIVE_UPDATE_FACTOR * 1000));
        Thread.sleep(wait);
        Optional<Playlist> again = playlist("media", playlist.url());
        if (again.isEmpty()) {
            return;
        }
        List<String> before = segments.stream().map(PlaylistUri::absolute).toList();
        List<String> after = again.get().links().ofKind(ResourceKind.SEGMENT).stream().map(PlaylistUri::absolute).toList();
        checks.add(before.equals(after)
                ? Check.fail("live", playlist.url(), "live playlist did not advance in " + wait.toMillis() + " ms")
                : Check.pass("live", playlist.url(), "advanced within " + wait.toMillis() + " ms"));
    }

    /** EXT-X-TARGETDURATION in seconds; the one other tag value the probe reads, to know how long to wait. */
    static long targetDuration(String playlist) {
        return playlist.lines().map(String::strip).filter(l -> l.startsWith("#EXT-X-TARGETDURATION:"))
                .map(l -> l.substring("#EXT-X-TARGETDURATION:".length()).strip())
                .filter(v -> v.matches("\\d{1,4}")).mapToLong(Long::parseLong).findFirst().orElse(10);
    }

    private Optional<Playlist> playlist(String what, URI uri) throws InterruptedException {
        Optional<Fetcher.Fetched> fetched = fetch(what, uri);
        if (fetched.isEmpty()) {
            return Optional.empty();
        }
        String text = new String(fetched.get().body(), StandardCharsets.UTF_8);
        URI base = fetched.get().finalUri().equals(fetched.get().requested()) ? uri : fetched.get().finalUri();
        try {
            PlaylistLinks links = PlaylistLinks.read(text, base);
            checks.add(Check.pass(what, uri, fetched.get().status() + " playlist, " + links.uris().size() + " URIs"));
            return Optional.of(new Playlist(uri, links));
        } catch (PlaylistException e) {
            checks.add(Check.fail(what, uri, "not an HLS playlist (" + describe(fetched.get().contentType())
                    + "): " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** A 2xx answer that is not an HTML or JSON error page; any other outcome is recorded as a failed check. */
    private Optional<Fetcher.Fetched> fetch(String what, URI uri) throws InterruptedException {
        try {
            Fetcher.Fetched fetched = fetcher.get(uri);
            String type = fetched.contentType().toLowerCase(Locale.ROOT);
            if (!fetched.succeeded()) {
                checks.add(Check.fail(what, uri, "status " + fetched.status() + viaNote(uri, fetched)));
            } else if (type.startsWith("text/html") || type.startsWith("application/json")) {
                checks.add(Check.fail(what, uri, "status " + fetched.status() + " but " + type + ", an error page?"));
            } else {
                return Optional.of(fetched);
            }
        } catch (IOException e) {
            checks.add(Check.fail(what, uri, "request failed: " + e));
        }
        return Optional.empty();
    }

    /** Through {@code --via}, which URL answered, so a failure can be told from the origin's own. */
    private static String viaNote(URI uri, Fetcher.Fetched fetched) {
        return fetched.requested().equals(uri) ? "" : " (requested " + fetched.requested() + ")";
    }

    private static String describe(String contentType) {
        return contentType.isEmpty() ? "no Content-Type" : "Content-Type " + contentType;
    }

    private static SequencedSet<URI> distinct(List<PlaylistUri> uris) {
        var distinct = new LinkedHashSet<URI>();
        uris.forEach(u -> distinct.add(u.toUri()));
        return distinct;
    }

    /** @param url the URI as named (in the stream's own address space, before {@code --via}) */
    private record Playlist(URI url, PlaylistLinks links) {}
}
