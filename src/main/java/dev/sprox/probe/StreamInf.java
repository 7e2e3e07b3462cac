package dev.sprox.probe;

import dev.sprox.hls.PlaylistUri;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EXT-X-STREAM-INF tag that introduces a variant URI, and the one attribute the probe needs from it.
 * Only BANDWIDTH: everything else about playlists is read by {@link dev.sprox.hls.PlaylistRewriter}.
 */
final class StreamInf {
    private static final String TAG = "#EXT-X-STREAM-INF:";
    /** BANDWIDTH, not AVERAGE-BANDWIDTH: the name must start the list or follow a comma. */
    private static final Pattern BANDWIDTH = Pattern.compile("(?:^|,)\\s*BANDWIDTH\\s*=\\s*(\\d+)");

    private StreamInf() {}

    /** The variant URIs of a multivariant playlist: URI lines that an EXT-X-STREAM-INF tag introduces. */
    static List<Variant> variants(PlaylistLinks links) {
        List<String> lines = links.text().lines().toList();
        return links.uris().stream()
                .flatMap(uri -> tagBefore(lines, uri).map(tag -> new Variant(uri, bandwidth(tag))).stream())
                .toList();
    }

    /** The nearest tag above a URI line, when it is EXT-X-STREAM-INF; other tags may sit in between. */
    private static Optional<String> tagBefore(List<String> lines, PlaylistUri uri) {
        int index = uri.line() - 1;
        if (lines.get(index).strip().startsWith("#")) {
            return Optional.empty(); // a URI="..." attribute, not a URI line
        }
        for (int i = index - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith(TAG)) {
                return Optional.of(line.substring(TAG.length()));
            }
            if (!line.startsWith("#") && !line.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static long bandwidth(String attributes) {
        Matcher m = BANDWIDTH.matcher(attributes);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** @param bandwidth bits per second; 0 when the tag does not say */
    record Variant(PlaylistUri uri, long bandwidth) {}
}
