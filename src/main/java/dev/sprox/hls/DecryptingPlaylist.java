package dev.sprox.hls;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a playlist of Common Encryption fMP4 into one a player without DRM plays through decrypting URLs: each
 * {@code EXT-X-MAP} and each media segment is given to {@link Uris}, with the byte range the playlist named for it
 * ({@code EXT-X-MAP BYTERANGE}, {@code EXT-X-BYTERANGE}), which from then on travels inside the URL: the decrypted
 * bytes are fewer than the origin's, so no range of them could be a range of the origin's. The protection's own
 * tags go: {@code EXT-X-KEY} and {@code EXT-X-SESSION-KEY} of methods {@code SAMPLE-AES-CTR} and
 * {@code SAMPLE-AES} (Common Encryption {@code cenc} and {@code cbcs} in fMP4), and {@code NONE}. So do LL-HLS parts,
 * preload hints and rendition reports, which would point past the decrypting URLs; the playlist plays as plain HLS.
 *
 * <p>Its input has every URI absolute, as {@link PlaylistRewriter} (with a mapper that returns
 * {@link PlaylistUri#absolute()}) or the DASH converter writes it; a variant's URI line (after
 * {@code EXT-X-STREAM-INF}) is copied as it stands. Refused: {@code AES-128} and other methods (whole-segment
 * encryption, not Common Encryption), and an encrypted segment with no {@code EXT-X-MAP} (MPEG-TS).
 */
public final class DecryptingPlaylist {

    /** Bytes {@code offset} to {@code offset + length - 1} of a resource. */
    public record Range(long offset, long length) {
        public long last() {
            return offset + length - 1;
        }
    }

    /** The text of the decrypting URLs that replace the init sections and segments. */
    public interface Uris {
        String init(String absolute, Optional<Range> range);

        /** @param init the init section in effect for the segment, and its range */
        String segment(String absolute, Optional<Range> range, String init, Optional<Range> initRange);
    }

    private static final List<String> DROPPED = List.of("EXT-X-PART", "EXT-X-PART-INF", "EXT-X-PRELOAD-HINT",
            "EXT-X-RENDITION-REPORT");

    private DecryptingPlaylist() {}

    public static String rewrite(String playlist, Uris uris) throws PlaylistException {
        var out = new StringBuilder(playlist.length() * 2);
        String init = null;
        Optional<Range> initRange = Optional.empty();
        boolean encrypted = false;
        boolean variantNext = false;
        Optional<Range> range = Optional.empty();
        long rangeEnd = 0;
        String previousSegment = null;
        String[] lines = playlist.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || (trimmed.startsWith("#") && !trimmed.startsWith("#EXT"))) {
                append(out, line, i, lines.length);
                continue;
            }
            if (!trimmed.startsWith("#")) {
                if (variantNext) {
                    variantNext = false;
                    append(out, line, i, lines.length);
                    continue;
                }
                if (init == null) {
                    if (encrypted) {
                        throw new PlaylistException(number, "an encrypted segment without EXT-X-MAP (MPEG-TS) cannot"
                                + " be decrypted");
                    }
                    throw new PlaylistException(number, "a segment without EXT-X-MAP: only fMP4 is decrypted");
                }
                if (range.isPresent() && range.get().offset() < 0) {
                    if (!trimmed.equals(previousSegment)) {
                        throw new PlaylistException(number, "EXT-X-BYTERANGE without an offset follows another"
                                + " resource");
                    }
                    range = Optional.of(new Range(rangeEnd, range.get().length()));
                }
                append(out, uris.segment(trimmed, range, init, initRange), i, lines.length);
                rangeEnd = range.map(r -> r.offset() + r.length()).orElse(0L);
                previousSegment = trimmed;
                range = Optional.empty();
                continue;
            }
            int colon = trimmed.indexOf(':');
            String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).substring(1);
            String attributes = colon < 0 ? "" : trimmed.substring(colon + 1);
            switch (name) {
                case "EXT-X-STREAM-INF" -> {
                    variantNext = true;
                    append(out, line, i, lines.length);
                }
                case "EXT-X-KEY", "EXT-X-SESSION-KEY" -> {
                    String method = Optional.ofNullable(value(attributes, "METHOD", number)).orElse("")
                            .toUpperCase(Locale.ROOT);
                    switch (method) {
                        case "NONE" -> encrypted = false;
                        case "SAMPLE-AES-CTR", "SAMPLE-AES" -> encrypted = true;
                        default -> throw new PlaylistException(number, name + " METHOD=" + method
                                + " is not Common Encryption and cannot be decrypted here");
                    }
                }
                case "EXT-X-MAP" -> {
                    init = value(attributes, "URI", number);
                    if (init == null) {
                        throw new PlaylistException(number, "EXT-X-MAP without URI");
                    }
                    String byteRange = value(attributes, "BYTERANGE", number);
                    initRange = byteRange == null ? Optional.empty() : Optional.of(range(byteRange, number, true));
                    append(out, "#EXT-X-MAP:URI=\"" + quotable(uris.init(init, initRange), number) + "\"", i,
                            lines.length);
                }
                case "EXT-X-BYTERANGE" -> range = Optional.of(range(attributes, number, false));
                default -> {
                    if (!DROPPED.contains(name)) {
                        append(out, line, i, lines.length);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Every line but a trailing empty one ends with a line feed, as it did. */
    private static void append(StringBuilder out, String line, int index, int count) {
        out.append(line);
        if (index < count - 1) {
            out.append('\n');
        }
    }

    private static String value(String attributes, String name, int line) throws PlaylistException {
        List<AttributeList.Attribute> parsed = AttributeList.parse(attributes, 0, attributes.length(), line);
        return AttributeList.valueOf(parsed, attributes, name);
    }

    /**
     * {@code length[@offset]}. An init section's range without an offset starts at 0 (RFC 8216 §4.3.2.5); a
     * segment's is marked -1, to be taken from the end of the segment before.
     */
    private static Range range(String text, int line, boolean init) throws PlaylistException {
        int at = text.indexOf('@');
        try {
            long length = Long.parseLong(at < 0 ? text.strip() : text.substring(0, at).strip());
            long offset = at >= 0 ? Long.parseLong(text.substring(at + 1).strip()) : init ? 0 : -1;
            if (length <= 0 || (at >= 0 && offset < 0)) {
                throw new NumberFormatException();
            }
            return new Range(offset, length);
        } catch (NumberFormatException e) {
            throw new PlaylistException(line, "byte range \"" + Abbreviation.of(text) + "\" is not length@offset");
        }
    }

    private static String quotable(String uri, int line) throws PlaylistException {
        if (uri.indexOf('"') >= 0 || uri.indexOf('\n') >= 0 || uri.indexOf('\r') >= 0) {
            throw new PlaylistException(line, "a decrypting URL that cannot stand in a quoted-string");
        }
        return uri;
    }
}
