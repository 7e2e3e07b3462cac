package dev.sprox.dash;

import dev.sprox.dash.Mpd.AdaptationSet;
import dev.sprox.dash.Mpd.ByteRange;
import dev.sprox.dash.Mpd.ContentProtection;
import dev.sprox.dash.Mpd.EventStream;
import dev.sprox.dash.Mpd.Initialization;
import dev.sprox.dash.Mpd.Period;
import dev.sprox.dash.Mpd.Representation;
import dev.sprox.dash.Mpd.SegmentAddressing;
import dev.sprox.dash.Mpd.SegmentBase;
import dev.sprox.dash.Mpd.SegmentList;
import dev.sprox.dash.Mpd.SegmentTemplate;
import dev.sprox.dash.Mpd.SegmentUrl;
import dev.sprox.dash.Mpd.TimelineEntry;
import dev.sprox.dash.Mpd.TrackType;
import dev.sprox.dash.Mpd.UtcTiming;
import dev.sprox.hls.Abbreviation;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an MPD into {@link Mpd}: a pure function of the text and the URL it was finally fetched from. BaseURLs
 * nest (MPD, Period, AdaptationSet, Representation), each resolved per RFC 3986 against the one above; where a
 * level has several, the first is taken and a note says so. Segment information is inherited downwards
 * attribute by attribute (ISO/IEC 23009-1 §5.3.9.1), the lowest level's SegmentTimeline or SegmentURLs winning.
 */
public final class MpdReader {
    private final XmlDocument document;
    private final References references = new References();
    private final List<String> notes = new ArrayList<>();
    /** SegmentTimelines read so far: one at AdaptationSet level serves all its Representations. */
    private final Map<XmlDocument.Element, List<TimelineEntry>> timelines = new IdentityHashMap<>();

    private MpdReader(XmlDocument document) {
        this.document = document;
    }

    public static Mpd read(String mpd, URI mpdUrl, MpdLimits limits) throws MpdException {
        XmlDocument document = XmlDocument.parse(mpd, limits);
        requireMpdRoot(document.root());
        return new MpdReader(document).mpd(document.root(), mpdUrl.toString());
    }

    static void requireMpdRoot(XmlDocument.Element root) throws MpdException {
        if (root == null || !root.localName().equals("MPD")) {
            throw new MpdException(root == null ? 0 : root.line(), "the root element is not MPD");
        }
    }

    private Mpd mpd(XmlDocument.Element mpd, String mpdUrl) throws MpdException {
        boolean dynamic = mpd.value("type").map(String::strip).orElse("static").equals("dynamic");
        String base = baseUrl(mpd, mpdUrl, "MPD");
        Optional<Duration> presentation = duration(mpd, "mediaPresentationDuration");
        List<XmlDocument.Element> periodElements = mpd.children("Period");
        if (periodElements.isEmpty()) {
            throw new MpdException(mpd.line(), "MPD without a Period");
        }
        List<Period> periods = new ArrayList<>();
        Duration previousEnd = Duration.ZERO;
        for (int i = 0; i < periodElements.size(); i++) {
            XmlDocument.Element element = periodElements.get(i);
            Duration start = duration(element, "start").orElse(previousEnd);
            Optional<Duration> duration = duration(element, "duration");
            if (duration.isEmpty() && i + 1 < periodElements.size()) {
                duration = duration(periodElements.get(i + 1), "start").map(next -> next.minus(start));
            }
            if (duration.isEmpty() && i + 1 == periodElements.size() && presentation.isPresent()) {
                duration = Optional.of(presentation.get().minus(start));
            }
            periods.add(period(element, start, duration, base));
            previousEnd = duration.map(start::plus).orElse(start);
        }
        List<String> locations = new ArrayList<>();
        for (XmlDocument.Element location : mpd.children("Location")) {
            locations.add(url(mpdUrl, document.content(location).strip(), location.line()));
        }
        List<String> patches = new ArrayList<>();
        for (XmlDocument.Element patch : mpd.children("PatchLocation")) {
            patches.add(url(mpdUrl, document.content(patch).strip(), patch.line()));
        }
        List<UtcTiming> timings = new ArrayList<>();
        for (XmlDocument.Element timing : mpd.children("UTCTiming")) {
            timings.add(new UtcTiming(timing.value("schemeIdUri").orElse(""), timing.value("value").orElse("")));
        }
        return new Mpd(dynamic, dateTime(mpd, "availabilityStartTime"), dateTime(mpd, "publishTime"), presentation,
                duration(mpd, "minimumUpdatePeriod"), duration(mpd, "timeShiftBufferDepth"),
                duration(mpd, "suggestedPresentationDelay"), duration(mpd, "maxSegmentDuration"), locations, patches,
                timings, periods, notes);
    }

    private Period period(XmlDocument.Element period, Duration start, Optional<Duration> duration, String mpdBase)
            throws MpdException {
        String base = baseUrl(period, mpdBase, "Period");
        List<AdaptationSet> sets = new ArrayList<>();
        for (XmlDocument.Element set : period.children("AdaptationSet")) {
            sets.add(adaptationSet(period, set, base));
        }
        List<EventStream> events = new ArrayList<>();
        for (XmlDocument.Element stream : period.children("EventStream")) {
            events.add(eventStream(stream));
        }
        return new Period(period.value("id"), start, duration, sets, events);
    }

    private AdaptationSet adaptationSet(XmlDocument.Element period, XmlDocument.Element set, String periodBase)
            throws MpdException {
        String base = baseUrl(set, periodBase, "AdaptationSet");
        List<ContentProtection> setProtections = protections(set);
        List<Representation> representations = new ArrayList<>();
        for (XmlDocument.Element representation : set.children("Representation")) {
            representations.add(representation(period, set, representation, base, setProtections));
        }
        List<String> roles = new ArrayList<>();
        for (XmlDocument.Element role : set.children("Role")) {
            role.value("value").ifPresent(roles::add);
        }
        List<EventStream> inband = new ArrayList<>();
        for (XmlDocument.Element stream : set.children("InbandEventStream")) {
            inband.add(eventStream(stream));
        }
        Optional<String> label = set.value("label").or(() -> set.child("Label").map(document::content));
        return new AdaptationSet(set.value("id"), type(set), set.value("lang"), label, roles, representations,
                setProtections, inband);
    }

    private Representation representation(XmlDocument.Element period, XmlDocument.Element set,
                                           XmlDocument.Element representation, String setBase,
                                           List<ContentProtection> setProtections) throws MpdException {
        String base = baseUrl(representation, setBase, "Representation");
        String id = representation.value("id").orElseThrow(
                () -> new MpdException(representation.line(), "Representation without an id"));
        long bandwidth = number(representation, "bandwidth").orElse(0L);
        List<ContentProtection> all = new ArrayList<>(setProtections);
        all.addAll(protections(representation));
        Optional<String> channels = representation.child("AudioChannelConfiguration")
                .or(() -> set.child("AudioChannelConfiguration")).flatMap(c -> c.value("value"));
        return new Representation(id, bandwidth, inherited(set, representation, "codecs"),
                inherited(set, representation, "mimeType"), integer(set, representation, "width"),
                integer(set, representation, "height"), inherited(set, representation, "frameRate"), channels, base,
                addressing(List.of(period, set, representation), base), all);
    }

    private SegmentAddressing addressing(List<XmlDocument.Element> levels, String base) throws MpdException {
        for (int i = levels.size() - 1; i >= 0; i--) {
            XmlDocument.Element level = levels.get(i);
            if (level.child("SegmentTemplate").isPresent()) {
                return template(chain(levels, "SegmentTemplate"), base);
            }
            if (level.child("SegmentList").isPresent()) {
                return list(chain(levels, "SegmentList"), base);
            }
            if (level.child("SegmentBase").isPresent()) {
                return segmentBase(chain(levels, "SegmentBase"), base);
            }
        }
        if (base == null) {
            throw new MpdException(levels.getLast().line(), "Representation with neither segment information nor "
                    + "an http(s) BaseURL");
        }
        return new SegmentBase(base, Optional.empty(), Optional.empty(), 1, 0);
    }

    /** The elements of one name down the levels, highest first; what the lowest sets wins. */
    private record Chain(List<XmlDocument.Element> elements) {
        Optional<String> value(String name) {
            for (XmlDocument.Element element : elements.reversed()) {
                Optional<String> value = element.value(name);
                if (value.isPresent()) {
                    return value.map(String::strip);
                }
            }
            return Optional.empty();
        }

        Optional<XmlDocument.Element> child(String name) {
            for (XmlDocument.Element element : elements.reversed()) {
                Optional<XmlDocument.Element> child = element.child(name);
                if (child.isPresent()) {
                    return child;
                }
            }
            return Optional.empty();
        }

        int line() {
            return elements.getLast().line();
        }

        long number(String name, long otherwise) throws MpdException {
            Optional<String> text = value(name);
            return text.isEmpty() ? otherwise : parseNumber(text.get(), line());
        }
    }

    private static Chain chain(List<XmlDocument.Element> levels, String name) {
        List<XmlDocument.Element> elements = new ArrayList<>();
        for (XmlDocument.Element level : levels) {
            level.child(name).ifPresent(elements::add);
        }
        return new Chain(elements);
    }

    private SegmentTemplate template(Chain chain, String base) throws MpdException {
        String media = chain.value("media").orElseThrow(
                () -> new MpdException(chain.line(), "SegmentTemplate without @media"));
        long timescale = timescale(chain);
        Optional<String> initialization = chain.value("initialization").isPresent()
                ? Optional.ofNullable(url(base, chain.value("initialization").get(), chain.line())) : Optional.empty();
        List<TimelineEntry> timeline = timeline(chain);
        Optional<Long> duration = chain.value("duration").isPresent()
                ? Optional.of(chain.number("duration", 0)) : Optional.empty();
        if (timeline.isEmpty() && duration.isEmpty()) {
            throw new MpdException(chain.line(), "SegmentTemplate with neither @duration nor SegmentTimeline");
        }
        if (duration.isPresent() && duration.get() <= 0) {
            throw new MpdException(chain.line(), "SegmentTemplate@duration must be positive");
        }
        Optional<Long> endNumber = chain.value("endNumber").isPresent()
                ? Optional.of(chain.number("endNumber", 0)) : Optional.empty();
        return new SegmentTemplate(requireHttp(url(base, media, chain.line()), chain.line()), initialization,
                timescale, duration, chain.number("startNumber", 1), endNumber,
                chain.number("presentationTimeOffset", 0), timeline);
    }

    private SegmentList list(Chain chain, String base) throws MpdException {
        List<SegmentUrl> urls = new ArrayList<>();
        XmlDocument.Element lowest = null;
        for (XmlDocument.Element element : chain.elements().reversed()) {
            if (!element.children("SegmentURL").isEmpty()) {
                lowest = element;
                break;
            }
        }
        if (lowest != null) {
            for (XmlDocument.Element url : lowest.children("SegmentURL")) {
                String media = url.value("media").map(String::strip).orElse("");
                urls.add(new SegmentUrl(requireHttp(media.isEmpty() ? base : url(base, media, url.line()), url.line()),
                        range(url, "mediaRange")));
            }
        }
        List<TimelineEntry> timeline = timeline(chain);
        Optional<Long> duration = chain.value("duration").isPresent()
                ? Optional.of(chain.number("duration", 0)) : Optional.empty();
        if (timeline.isEmpty() && duration.isEmpty() && urls.size() > 1) {
            throw new MpdException(chain.line(), "SegmentList of several segments with neither @duration nor "
                    + "SegmentTimeline");
        }
        return new SegmentList(urls, initialization(chain, base), timescale(chain), duration,
                chain.number("startNumber", 1), chain.number("presentationTimeOffset", 0), timeline);
    }

    private SegmentBase segmentBase(Chain chain, String base) throws MpdException {
        Optional<ByteRange> indexRange = chain.value("indexRange").isPresent()
                ? Optional.of(parseRange(chain.value("indexRange").get(), chain.line())) : Optional.empty();
        return new SegmentBase(requireHttp(base, chain.line()), indexRange, initialization(chain, base),
                timescale(chain), chain.number("presentationTimeOffset", 0));
    }

    private Optional<Initialization> initialization(Chain chain, String base) throws MpdException {
        Optional<XmlDocument.Element> element = chain.child("Initialization");
        if (element.isEmpty()) {
            return Optional.empty();
        }
        String source = element.get().value("sourceURL").map(String::strip).orElse("");
        String url = source.isEmpty() ? base : url(base, source, element.get().line());
        return Optional.of(new Initialization(requireHttp(url, element.get().line()), range(element.get(), "range")));
    }

    private List<TimelineEntry> timeline(Chain chain) throws MpdException {
        Optional<XmlDocument.Element> timeline = chain.child("SegmentTimeline");
        if (timeline.isEmpty()) {
            return List.of();
        }
        List<TimelineEntry> known = timelines.get(timeline.get());
        if (known != null) {
            return known;
        }
        List<TimelineEntry> entries = new ArrayList<>();
        for (XmlDocument.Element s : timeline.get().children("S")) {
            Optional<Long> t = number(s, "t");
            long d = number(s, "d").orElseThrow(() -> new MpdException(s.line(), "S without @d"));
            if (d <= 0) {
                throw new MpdException(s.line(), "S@d must be positive");
            }
            entries.add(new TimelineEntry(t, d, number(s, "r").orElse(0L)));
        }
        List<TimelineEntry> read = List.copyOf(entries);
        timelines.put(timeline.get(), read);
        return read;
    }

    private static long timescale(Chain chain) throws MpdException {
        long timescale = chain.number("timescale", 1);
        if (timescale <= 0) {
            throw new MpdException(chain.line(), "timescale must be positive");
        }
        return timescale;
    }

    private List<ContentProtection> protections(XmlDocument.Element element) {
        List<ContentProtection> found = new ArrayList<>();
        for (XmlDocument.Element protection : element.children("ContentProtection")) {
            found.add(new ContentProtection(protection.value("schemeIdUri").orElse(""), protection.value("value"),
                    protection.value("default_KID").map(String::strip),
                    protection.child("pssh").map(p -> document.content(p).strip()), document.verbatim(protection)));
        }
        return found;
    }

    private EventStream eventStream(XmlDocument.Element stream) throws MpdException {
        return new EventStream(stream.value("schemeIdUri").orElse(""), stream.value("value"),
                number(stream, "timescale").orElse(1L), stream.children("Event").size());
    }

    /** The first BaseURL of a level resolved against the base above, or that base when the level has none. */
    private String baseUrl(XmlDocument.Element element, String base, String level) throws MpdException {
        List<XmlDocument.Element> baseUrls = element.children("BaseURL");
        if (baseUrls.isEmpty()) {
            return base;
        }
        if (baseUrls.size() > 1) {
            notes.add("line " + element.line() + ": " + level + " has " + baseUrls.size()
                    + " BaseURLs; the first is used");
        }
        String written = document.content(baseUrls.getFirst()).strip();
        return written.isEmpty() ? base : url(base, written, baseUrls.getFirst().line());
    }

    private String url(String base, String reference, int line) throws MpdException {
        return references.resolve(base, reference, line);
    }

    private static String requireHttp(String url, int line) throws MpdException {
        if (url == null) {
            throw new MpdException(line, "segment reference does not resolve to an http(s) URL");
        }
        return url;
    }

    /** AdaptationSet@contentType, else the MIME type's top level, else what the codecs say (stpp, wvtt). */
    private static TrackType type(XmlDocument.Element set) {
        Optional<String> contentType = set.value("contentType").or(() -> set.child("ContentComponent")
                .flatMap(c -> c.value("contentType")));
        String mime = set.value("mimeType").or(() -> set.child("Representation").flatMap(r -> r.value("mimeType")))
                .orElse("").toLowerCase(Locale.ROOT);
        String codecs = set.value("codecs").or(() -> set.child("Representation").flatMap(r -> r.value("codecs")))
                .orElse("").toLowerCase(Locale.ROOT);
        String type = contentType.orElse(mime.contains("/") ? mime.substring(0, mime.indexOf('/')) : "")
                .toLowerCase(Locale.ROOT);
        if (codecs.startsWith("stpp") || codecs.startsWith("wvtt") || mime.contains("ttml") || mime.contains("vtt")) {
            return TrackType.TEXT;
        }
        return switch (type) {
            case "video" -> TrackType.VIDEO;
            case "audio" -> TrackType.AUDIO;
            case "text" -> TrackType.TEXT;
            case "image" -> TrackType.IMAGE;
            default -> TrackType.OTHER;
        };
    }

    private static Optional<String> inherited(XmlDocument.Element set, XmlDocument.Element representation,
                                              String name) {
        return representation.value(name).or(() -> set.value(name)).map(String::strip);
    }

    private static Optional<Integer> integer(XmlDocument.Element set, XmlDocument.Element representation,
                                             String name) throws MpdException {
        Optional<String> text = inherited(set, representation, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        long value = parseNumber(text.get(), representation.line());
        if (value > Integer.MAX_VALUE) {
            throw new MpdException(representation.line(), "@" + name + " out of range");
        }
        return Optional.of((int) value);
    }

    private static Optional<Long> number(XmlDocument.Element element, String name) throws MpdException {
        Optional<String> text = element.value(name);
        return text.isEmpty() ? Optional.empty() : Optional.of(parseNumber(text.get().strip(), element.line()));
    }

    private static long parseNumber(String text, int line) throws MpdException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new MpdException(line, "not an integer: \"" + Abbreviation.of(text) + "\"");
        }
    }

    private static Optional<ByteRange> range(XmlDocument.Element element, String name) throws MpdException {
        Optional<String> text = element.value(name);
        return text.isEmpty() ? Optional.empty() : Optional.of(parseRange(text.get(), element.line()));
    }

    private static ByteRange parseRange(String text, int line) throws MpdException {
        String value = text.strip();
        int dash = value.indexOf('-');
        if (dash <= 0) {
            throw new MpdException(line, "not a byte range: \"" + Abbreviation.of(text) + "\"");
        }
        long first = parseNumber(value.substring(0, dash), line);
        long last = parseNumber(value.substring(dash + 1), line);
        if (first < 0 || last < first) {
            throw new MpdException(line, "not a byte range: \"" + Abbreviation.of(text) + "\"");
        }
        return new ByteRange(first, last);
    }

    private static Optional<Duration> duration(XmlDocument.Element element, String name) throws MpdException {
        Optional<String> text = element.value(name);
        return text.isEmpty() ? Optional.empty() : Optional.of(IsoTime.duration(text.get(), element.line()));
    }

    private static Optional<Instant> dateTime(XmlDocument.Element element, String name) throws MpdException {
        Optional<String> text = element.value(name);
        return text.isEmpty() ? Optional.empty() : Optional.of(IsoTime.dateTime(text.get(), element.line()));
    }
}
