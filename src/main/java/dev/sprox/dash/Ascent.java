package dev.sprox.dash;

import java.util.List;
import java.util.Locale;

/**
 * How many directory levels the relative-path references of an MPD climb above the base they resolve against
 * ({@code ../audio/1.m4s} climbs one), following chains of relative BaseURLs below the MPD level; a BaseURL that
 * is not a relative path starts again from its own directory. A proxy that writes each base as a prefix the player
 * completes must sign it that many levels higher, or the player resolves those references above the prefix.
 *
 * <p>Where a level has several BaseURLs, what lies below is measured from the highest and shallowest of them, which
 * over-counts rather than under-counts. {@code %2e} counts as {@code .}: browsers resolve it as one.
 */
final class Ascent {
    /** Where a base stands relative to the directory of the base that started the chain. */
    private record Position(int up, int down) {
        static final Position ANCHOR = new Position(0, 0);
    }

    private int highest;
    private int relativeReferences;

    private Ascent() {}

    /** Whether a segment reference of these levels (a Representation and those it inherits from) is a relative path. */
    static boolean hasRelativeReferences(List<XmlDocument.Element> levels) {
        var ascent = new Ascent();
        for (XmlDocument.Element level : levels) {
            ascent.segmentInformation(level, Position.ANCHOR);
        }
        return ascent.relativeReferences > 0;
    }

    /** The levels the furthest-climbing reference below the MPD level climbs; 0 when none climbs. */
    static int of(XmlDocument document, XmlDocument.Element mpd) {
        var ascent = new Ascent();
        for (XmlDocument.Element period : mpd.children("Period")) {
            Position periodBase = ascent.bases(document, period, Position.ANCHOR);
            ascent.segmentInformation(period, periodBase);
            for (XmlDocument.Element set : period.children("AdaptationSet")) {
                Position setBase = ascent.bases(document, set, periodBase);
                ascent.segmentInformation(set, setBase);
                for (XmlDocument.Element representation : set.children("Representation")) {
                    ascent.segmentInformation(representation, ascent.bases(document, representation, setBase));
                }
            }
        }
        return ascent.highest;
    }

    private Position bases(XmlDocument document, XmlDocument.Element element, Position above) {
        List<XmlDocument.Element> baseUrls = element.children("BaseURL");
        if (baseUrls.isEmpty()) {
            return above;
        }
        int up = 0;
        int down = Integer.MAX_VALUE;
        for (XmlDocument.Element baseUrl : baseUrls) {
            String written = document.content(baseUrl).strip();
            Position position = written.isEmpty() ? above
                    : References.isRelativePath(written) ? reference(above, written) : Position.ANCHOR;
            up = Math.max(up, position.up());
            down = Math.min(down, position.down());
        }
        return new Position(up, down);
    }

    private void segmentInformation(XmlDocument.Element element, Position base) {
        for (XmlDocument.Element template : element.children("SegmentTemplate")) {
            attributes(template, base, "media", "initialization", "index");
            sources(template, base);
        }
        for (XmlDocument.Element segmentBase : element.children("SegmentBase")) {
            sources(segmentBase, base);
        }
        for (XmlDocument.Element list : element.children("SegmentList")) {
            sources(list, base);
            for (XmlDocument.Element url : list.children("SegmentURL")) {
                attributes(url, base, "media", "index");
            }
        }
    }

    private void sources(XmlDocument.Element element, Position base) {
        for (String name : List.of("Initialization", "RepresentationIndex", "BitstreamSwitching")) {
            for (XmlDocument.Element source : element.children(name)) {
                attributes(source, base, "sourceURL");
            }
        }
    }

    private void attributes(XmlDocument.Element element, Position base, String... names) {
        for (String name : names) {
            element.value(name).map(String::strip).filter(v -> !v.isEmpty() && References.isRelativePath(v))
                    .ifPresent(written -> {
                        relativeReferences++;
                        reference(base, written);
                    });
        }
    }

    /** The directory {@code reference} resolves into (RFC 3986 §5.2), from {@code base}; notes how high it went. */
    private Position reference(Position base, String reference) {
        int end = reference.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = reference.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String[] segments = reference.substring(0, end).split("/", -1);
        int up = base.up();
        int down = base.down();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i].toLowerCase(Locale.ROOT).replace("%2e", ".");
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                if (down > 0) {
                    down--;
                } else {
                    up++;
                }
            } else if (!segment.equals(".") && !last) {
                down++;
            }
        }
        highest = Math.max(highest, up);
        return new Position(up, down);
    }
}
