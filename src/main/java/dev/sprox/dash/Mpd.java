package dev.sprox.dash;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a proxy needs of an MPD (ISO/IEC 23009-1), read by {@link MpdReader}: every URL already resolved per
 * RFC 3986 against the chain of BaseURLs and the URL the MPD was finally fetched from, every inherited
 * attribute already brought down to the Representation.
 *
 * @param notes choices made while reading that an operator may want to know about (e.g. several BaseURLs at one
 *              level, of which the first was taken)
 */
public record Mpd(boolean dynamic, Optional<Instant> availabilityStartTime, Optional<Instant> publishTime,
                  Optional<Duration> mediaPresentationDuration, Optional<Duration> minimumUpdatePeriod,
                  Optional<Duration> timeShiftBufferDepth, Optional<Duration> suggestedPresentationDelay,
                  Optional<Duration> maxSegmentDuration, List<String> locations, List<String> patchLocations,
                  List<UtcTiming> utcTimings, List<Period> periods, List<String> notes) {

    public Mpd {
        locations = List.copyOf(locations);
        patchLocations = List.copyOf(patchLocations);
        utcTimings = List.copyOf(utcTimings);
        periods = List.copyOf(periods);
        notes = List.copyOf(notes);
    }

    /**
     * @param start    from the MPD's start: {@code @start}, else the end of the previous Period, else zero
     * @param duration {@code @duration}, else up to the next Period or the presentation's end; empty for the open
     *                 last Period of a live MPD
     */
    public record Period(Optional<String> id, Duration start, Optional<Duration> duration,
                         List<AdaptationSet> adaptationSets, List<EventStream> eventStreams) {
        public Period {
            adaptationSets = List.copyOf(adaptationSets);
            eventStreams = List.copyOf(eventStreams);
        }
    }

    public record AdaptationSet(Optional<String> id, TrackType type, Optional<String> lang, Optional<String> label,
                                List<String> roles, List<Representation> representations,
                                List<ContentProtection> contentProtections, List<EventStream> inbandEventStreams) {
        public AdaptationSet {
            roles = List.copyOf(roles);
            representations = List.copyOf(representations);
            contentProtections = List.copyOf(contentProtections);
            inbandEventStreams = List.copyOf(inbandEventStreams);
        }
    }

    /**
     * @param baseUrl    the resolved base of this Representation's references; null when it is not http(s)
     * @param frameRate  as written ({@code 25}, {@code 30000/1001})
     * @param channels   {@code AudioChannelConfiguration@value} as written
     * @param protections the Representation's own ContentProtection and its AdaptationSet's
     */
    public record Representation(String id, long bandwidth, Optional<String> codecs, Optional<String> mimeType,
                                 Optional<Integer> width, Optional<Integer> height, Optional<String> frameRate,
                                 Optional<String> channels, String baseUrl, SegmentAddressing addressing,
                                 List<ContentProtection> protections) {
        public Representation {
            protections = List.copyOf(protections);
        }
    }

    public enum TrackType { VIDEO, AUDIO, TEXT, IMAGE, OTHER }

    /**
     * ContentProtection kept verbatim for whoever handles the DRM, with the parts most often needed read out.
     *
     * @param defaultKid {@code cenc:default_KID} as written (a UUID)
     * @param pssh       {@code cenc:pssh} content: base64 of a whole {@code pssh} box
     * @param xml        the element exactly as it stands in the MPD
     */
    public record ContentProtection(String schemeIdUri, Optional<String> value, Optional<String> defaultKid,
                                    Optional<String> pssh, String xml) {}

    public record UtcTiming(String schemeIdUri, String value) {}

    /** An EventStream (in the MPD) or InbandEventStream (in the segments); {@code events} counts MPD events. */
    public record EventStream(String schemeIdUri, Optional<String> value, long timescale, int events) {}

    /** An inclusive byte range, {@code first-last} as DASH writes it. */
    public record ByteRange(long first, long last) {
        public long length() {
            return last - first + 1;
        }
    }

    /** Where an initialization segment is: a URL, and a range of it when only part is the initialization. */
    public record Initialization(String url, Optional<ByteRange> range) {}

    /** How a Representation's segments are found; exactly one per Representation. */
    public sealed interface SegmentAddressing permits SegmentTemplate, SegmentList, SegmentBase {}

    /**
     * @param media          the resolved media template, identifiers intact
     * @param duration       {@code @duration} in timescale units, when segments are numbered rather than timed
     * @param timeline       the SegmentTimeline, empty when there is none
     */
    public record SegmentTemplate(String media, Optional<String> initialization, long timescale,
                                  Optional<Long> duration, long startNumber, Optional<Long> endNumber,
                                  long presentationTimeOffset, List<TimelineEntry> timeline)
            implements SegmentAddressing {
        public SegmentTemplate {
            timeline = List.copyOf(timeline);
        }
    }

    /** {@code S@t}, {@code S@d}, {@code S@r}: a negative r repeats up to the next S, the Period's end or now. */
    public record TimelineEntry(Optional<Long> t, long d, long r) {}

    public record SegmentList(List<SegmentUrl> urls, Optional<Initialization> initialization, long timescale,
                              Optional<Long> duration, long startNumber, long presentationTimeOffset,
                              List<TimelineEntry> timeline) implements SegmentAddressing {
        public SegmentList {
            urls = List.copyOf(urls);
            timeline = List.copyOf(timeline);
        }
    }

    public record SegmentUrl(String media, Optional<ByteRange> mediaRange) {}

    /**
     * One file per Representation: {@code url} is the Representation's BaseURL. With an {@code indexRange} the
     * segments are the subsegments its {@code sidx} lists; without one, the whole file is one segment (a
     * Representation with a BaseURL and no segment information, such as a WebVTT file, reads the same way).
     */
    public record SegmentBase(String url, Optional<ByteRange> indexRange, Optional<Initialization> initialization,
                              long timescale, long presentationTimeOffset) implements SegmentAddressing {}
}
