package dev.sprox.dash;

import dev.sprox.dash.Mpd.AdaptationSet;
import dev.sprox.dash.Mpd.Initialization;
import dev.sprox.dash.Mpd.Period;
import dev.sprox.dash.Mpd.Representation;
import dev.sprox.dash.Mpd.SegmentBase;
import dev.sprox.dash.Mpd.SegmentList;
import dev.sprox.dash.Mpd.SegmentTemplate;
import dev.sprox.dash.Mpd.TrackType;
import dev.sprox.dash.SegmentIndexBox.Subsegment;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.UriMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns an {@link Mpd} into HLS (RFC 8216) for players that speak no DASH: a multivariant playlist, and a media
 * playlist per Representation listing its fMP4 segments as they are (no remux). Pure: the clock is a parameter,
 * and the {@code sidx} of SegmentBase Representations is fetched by the caller ({@link #indexRequests}).
 *
 * <p>Choices:
 * <ul>
 *   <li>The multivariant playlist describes the first Period. A media playlist names its Representation by id
 *       and, in an MPD of several Periods, by Period ({@link #periodName}: ids are unique only within a Period);
 *       it starts there and follows the track through the Periods after it, taking in each the Representation
 *       with the same id and type, else the one of that type with the nearest bandwidth, with
 *       {@code EXT-X-DISCONTINUITY} at each Period boundary.</li>
 *   <li>Each audio and each text AdaptationSet is one {@code EXT-X-MEDIA} rendition (its highest-bandwidth
 *       Representation); each video Representation is one {@code EXT-X-STREAM-INF}. An MPD without video offers
 *       each audio Representation as a variant.</li>
 *   <li>ContentProtection is not signalled: an HLS player could not use a DASH licence, and the segments are
 *       passed as they are.</li>
 *   <li>Live: the segments available at {@code now}, {@code EXT-X-MEDIA-SEQUENCE} from segment numbers (or times,
 *       for {@code $Time$} templates and for MPDs of several Periods, see {@link #sequence}),
 *       {@code EXT-X-PROGRAM-DATE-TIME} after each discontinuity, {@code EXT-X-START} no closer than three target
 *       durations (or {@code suggestedPresentationDelay}) to the live edge, no {@code EXT-X-ENDLIST}.</li>
 *   <li>Live with several Periods: {@code EXT-X-DISCONTINUITY-SEQUENCE} counts the Periods of the track that have
 *       left the window before its first segment, so it goes up by one each time a Period boundary (and its
 *       {@code EXT-X-DISCONTINUITY}) slides out, as RFC 8216 §6.2.2 requires. It counts the Periods the MPD
 *       still lists, so it is right while the MPD keeps the Periods the window has passed; a packager that
 *       deletes a past Period from the MPD lowers it by one, which only a converter keeping state across
 *       reloads could avoid.</li>
 * </ul>
 */
public final class HlsConverter {
    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    static final String AUDIO_GROUP = "audio";
    static final String SUBTITLE_GROUP = "subs";

    private HlsConverter() {}

    /**
     * @param playlistUri the URI of a Representation's media playlist, as it should stand in the playlist (no
     *                    double quote, CR or LF)
     */
    public static String multivariant(Mpd mpd, Function<Representation, String> playlistUri) {
        Period period = mpd.periods().getFirst();
        List<AdaptationSet> video = sets(period, TrackType.VIDEO);
        List<AdaptationSet> audio = sets(period, TrackType.AUDIO);
        List<AdaptationSet> text = sets(period, TrackType.TEXT);
        StringBuilder out = new StringBuilder(1024).append("#EXTM3U\n#EXT-X-VERSION:6\n");
        if (video.isEmpty()) {
            for (AdaptationSet set : audio) {
                for (Representation representation : set.representations()) {
                    out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(representation.bandwidth());
                    representation.codecs().ifPresent(c -> out.append(",CODECS=\"").append(c).append('"'));
                    out.append('\n').append(uri(playlistUri.apply(representation))).append('\n');
                }
            }
            return out.toString();
        }
        long audioBandwidth = 0;
        Set<String> audioCodecs = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        boolean defaultChosen = false;
        for (AdaptationSet set : audio) {
            Representation best = highest(set);
            audioBandwidth = Math.max(audioBandwidth, best.bandwidth());
            best.codecs().ifPresent(audioCodecs::add);
            boolean isDefault = !defaultChosen && (set.roles().contains("main") || audio.stream()
                    .noneMatch(s -> s.roles().contains("main")));
            defaultChosen |= isDefault;
            media(out, "AUDIO", AUDIO_GROUP, set, best, isDefault, names, playlistUri);
        }
        for (AdaptationSet set : text) {
            media(out, "SUBTITLES", SUBTITLE_GROUP, set, highest(set), false, names, playlistUri);
        }
        for (AdaptationSet set : video) {
            for (Representation representation : set.representations()) {
                out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(representation.bandwidth() + audioBandwidth);
                List<String> codecs = new ArrayList<>();
                representation.codecs().ifPresent(codecs::add);
                codecs.addAll(audioCodecs);
                if (!codecs.isEmpty()) {
                    out.append(",CODECS=\"").append(String.join(",", codecs)).append('"');
                }
                if (representation.width().isPresent() && representation.height().isPresent()) {
                    out.append(",RESOLUTION=").append(representation.width().get()).append('x')
                            .append(representation.height().get());
                }
                representation.frameRate().flatMap(HlsConverter::frameRate)
                        .ifPresent(rate -> out.append(",FRAME-RATE=").append(rate));
                if (!audio.isEmpty()) {
                    out.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
                }
                if (!text.isEmpty()) {
                    out.append(",SUBTITLES=\"").append(SUBTITLE_GROUP).append('"');
                }
                out.append('\n').append(uri(playlistUri.apply(representation))).append('\n');
            }
        }
        return out.toString();
    }

    private static void media(StringBuilder out, String type, String group, AdaptationSet set,
                              Representation representation, boolean isDefault, Set<String> names,
                              Function<Representation, String> playlistUri) {
        String name = set.label().or(set::lang).orElse(type.equals("AUDIO") ? "audio" : "subtitles");
        String unique = name;
        for (int i = 2; !names.add(unique); i++) {
            unique = name + " " + i;
        }
        out.append("#EXT-X-MEDIA:TYPE=").append(type).append(",GROUP-ID=\"").append(group).append('"');
        set.lang().ifPresent(lang -> out.append(",LANGUAGE=\"").append(quoted(lang)).append('"'));
        out.append(",NAME=\"").append(quoted(unique)).append("\",DEFAULT=").append(isDefault ? "YES" : "NO")
                .append(",AUTOSELECT=YES");
        if (type.equals("AUDIO")) {
            representation.channels().ifPresent(c -> out.append(",CHANNELS=\"").append(quoted(c)).append('"'));
        }
        out.append(",URI=\"").append(uri(playlistUri.apply(representation))).append("\"\n");
    }

    /** What must be fetched (and parsed with {@link SegmentIndexBox}) before {@link #mediaPlaylist} can list the
     *  segments of this Representation. */
    public static List<IndexRequest> indexRequests(Mpd mpd, String representationId) throws MpdException {
        return indexRequests(mpd, Optional.empty(), representationId);
    }

    /** {@link #indexRequests(Mpd, String)} for the track {@link #mediaPlaylist(Mpd, Optional, String, Instant, Map,
     *  UriMapper, MpdLimits)} lists. */
    public static List<IndexRequest> indexRequests(Mpd mpd, Optional<String> period, String representationId)
            throws MpdException {
        List<IndexRequest> requests = new ArrayList<>();
        for (Representation representation : track(mpd, period, representationId)) {
            if (representation != null && representation.addressing() instanceof SegmentBase base
                    && base.indexRange().isPresent()) {
                requests.add(new IndexRequest(base.url(), base.indexRange().get()));
            }
        }
        return requests;
    }

    /**
     * How a media playlist names a Period of an MPD with several (Representation ids are unique only within a
     * Period): its {@code @id}, or its position counted from 1 when it has none; empty when the MPD has one Period.
     */
    public static Optional<String> periodName(Mpd mpd, int index) {
        if (mpd.periods().size() < 2) {
            return Optional.empty();
        }
        return Optional.of(mpd.periods().get(index).id().orElse(Integer.toString(index + 1)));
    }

    /**
     * @param now     the instant a live MPD's availability window is computed for; ignored for a static MPD
     * @param indexes the parsed {@code sidx} of each of {@link #indexRequests}
     * @param mapper  gives the text that replaces each segment and initialization URL
     */
    public static String mediaPlaylist(Mpd mpd, String representationId, Instant now,
                                       Map<IndexRequest, List<Subsegment>> indexes, UriMapper mapper,
                                       MpdLimits limits) throws MpdException {
        return mediaPlaylist(mpd, Optional.empty(), representationId, now, indexes, mapper, limits);
    }

    /**
     * The track that starts at Representation {@code representationId} of the Period {@code startPeriod} names (see
     * {@link #periodName}) and follows it through the Periods after that one; without a Period, the track that
     * follows the id through every Period. A live MPD that no longer lists the named Period has moved past it: the
     * track is then followed from the MPD's first Period.
     *
     * @throws MpdException when no such Period (in a static MPD) or no such Representation in it
     */
    public static String mediaPlaylist(Mpd mpd, Optional<String> startPeriod, String representationId, Instant now,
                                       Map<IndexRequest, List<Subsegment>> indexes, UriMapper mapper,
                                       MpdLimits limits) throws MpdException {
        List<Representation> track = track(mpd, startPeriod, representationId);
        StringBuilder body = new StringBuilder(4096);
        long target = 1;
        Optional<Long> firstSequence = Optional.empty();
        boolean anyListed = false;
        long discontinuitySequence = 0;
        for (int p = 0; p < mpd.periods().size(); p++) {
            Period period = mpd.periods().get(p);
            Representation representation = track.get(p);
            if (representation == null) {
                continue;
            }
            List<MediaSegment> segments = SegmentLister.list(mpd, period, representation, now, indexes, limits);
            if (segments.isEmpty()) {
                if (!anyListed) {
                    discontinuitySequence++;
                }
                continue;
            }
            if (anyListed) {
                body.append("#EXT-X-DISCONTINUITY\n");
            }
            anyListed = true;
            if (firstSequence.isEmpty()) {
                firstSequence = Optional.of(sequence(mpd, period, segments.getFirst()));
            }
            initialization(representation).ifPresent(init -> {
                body.append("#EXT-X-MAP:URI=\"").append(mapped(mapper, ResourceKind.INIT_SECTION, init.url()))
                        .append('"');
                init.range().ifPresent(r -> body.append(",BYTERANGE=\"").append(r.length()).append('@')
                        .append(r.first()).append('"'));
                body.append('\n');
            });
            if (mpd.dynamic() && mpd.availabilityStartTime().isPresent()) {
                MediaSegment first = segments.getFirst();
                Instant at = mpd.availabilityStartTime().get().plus(period.start())
                        .plus(Duration.ofNanos(Math.round((double) first.start() / first.timescale() * 1e9)));
                body.append("#EXT-X-PROGRAM-DATE-TIME:").append(PROGRAM_DATE_TIME.format(at)).append('\n');
            }
            for (MediaSegment segment : segments) {
                target = Math.max(target, Math.round(segment.seconds()));
                body.append("#EXTINF:").append(seconds(segment.seconds())).append(",\n");
                segment.range().ifPresent(r -> body.append("#EXT-X-BYTERANGE:").append(r.length()).append('@')
                        .append(r.first()).append('\n'));
                body.append(mapped(mapper, ResourceKind.SEGMENT, segment.url())).append('\n');
            }
        }
        StringBuilder out = new StringBuilder(body.length() + 256).append("#EXTM3U\n#EXT-X-VERSION:6\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(firstSequence.orElse(0L)).append('\n');
        if (mpd.dynamic() && mpd.periods().size() > 1) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(anyListed ? discontinuitySequence : 0).append('\n');
        }
        if (mpd.dynamic()) {
            double behind = Math.max(3.0 * target,
                    mpd.suggestedPresentationDelay().map(d -> d.toNanos() / 1e9).orElse(0.0));
            out.append("#EXT-X-START:TIME-OFFSET=-").append(seconds(behind)).append('\n');
        } else {
            out.append("#EXT-X-PLAYLIST-TYPE:VOD\n");
        }
        out.append(body);
        if (!mpd.dynamic()) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /**
     * The first segment's media sequence number. Segment numbers restart in each Period, so in a live MPD of
     * several Periods the number is taken from time instead: the segment's start since the MPD's start over its
     * duration, which counts on across Period boundaries when segments keep one duration, and gives a segment
     * the same number whichever reload lists it first.
     */
    private static long sequence(Mpd mpd, Period period, MediaSegment first) {
        if (!mpd.dynamic() || mpd.periods().size() < 2) {
            return first.sequence();
        }
        long start = period.start().toNanos() + Math.round((double) first.start() / first.timescale() * 1e9);
        long duration = Math.round((double) first.duration() / first.timescale() * 1e9);
        return Math.floorDiv(start, Math.max(duration, 1));
    }

    /**
     * The Representation followed in each Period (null where a Period has nothing of that type, or comes before the
     * named Period). After the Period it starts in, the track takes in each Period the Representation with the same
     * id and type, else the one of that type with the nearest bandwidth.
     */
    static List<Representation> track(Mpd mpd, Optional<String> period, String representationId)
            throws MpdException {
        List<Period> periods = mpd.periods();
        int named = period.isEmpty() ? -1 : periodIndex(mpd, period.get());
        if (period.isPresent() && named < 0 && !mpd.dynamic()) {
            throw new MpdException(0, "no Period named \"" + period.get() + "\"");
        }
        int start = -1;
        AdaptationSet startSet = null;
        Representation first = null;
        for (int p = Math.max(named, 0); p < periods.size() && first == null; p++) {
            for (AdaptationSet set : periods.get(p).adaptationSets()) {
                for (Representation representation : set.representations()) {
                    if (first == null && representation.id().equals(representationId)) {
                        first = representation;
                        startSet = set;
                        start = p;
                    }
                }
            }
            if (named >= 0) {
                break;
            }
        }
        if (first == null) {
            throw new MpdException(0, "no Representation with id \"" + representationId + "\""
                    + (named >= 0 ? " in Period \"" + period.get() + "\"" : ""));
        }
        List<Representation> track = new ArrayList<>();
        for (int p = 0; p < periods.size(); p++) {
            boolean before = p < start && named >= 0;
            track.add(p == start ? first : before ? null
                    : inPeriod(periods.get(p), representationId, startSet.type(), first.bandwidth()));
        }
        return track;
    }

    /** The index of the Period {@code name} names ({@link #periodName}), or -1. */
    private static int periodIndex(Mpd mpd, String name) {
        List<Period> periods = mpd.periods();
        for (int p = 0; p < periods.size(); p++) {
            if (periods.get(p).id().filter(name::equals).isPresent()) {
                return p;
            }
        }
        if (!name.isEmpty() && name.length() < 10 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int position = Integer.parseInt(name);
            if (position >= 1 && position <= periods.size() && periods.get(position - 1).id().isEmpty()) {
                return position - 1;
            }
        }
        return -1;
    }

    private static Representation inPeriod(Period period, String id, TrackType type, long bandwidth) {
        Representation nearest = null;
        for (AdaptationSet set : period.adaptationSets()) {
            if (set.type() != type) {
                continue;
            }
            for (Representation representation : set.representations()) {
                if (representation.id().equals(id)) {
                    return representation;
                }
                if (nearest == null || Math.abs(representation.bandwidth() - bandwidth)
                        < Math.abs(nearest.bandwidth() - bandwidth)) {
                    nearest = representation;
                }
            }
        }
        return nearest;
    }

    private static Optional<Initialization> initialization(Representation representation) {
        return switch (representation.addressing()) {
            case SegmentTemplate t -> t.initialization().map(url -> new Initialization(
                    SegmentTemplateText.expand(url, representation.id(), representation.bandwidth(), 0, 0),
                    Optional.empty()));
            case SegmentList l -> l.initialization();
            case SegmentBase b -> b.initialization();
        };
    }

    private static String mapped(UriMapper mapper, ResourceKind kind, String url) {
        return uri(mapper.map(new PlaylistUri(kind, url, url, 0)));
    }

    /** A URI as the playlist grammar allows it: mapper text that could break a line or a quoted string is refused. */
    private static String uri(String text) {
        if (text.isBlank() || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a URI that cannot stand in a playlist: " + text);
        }
        return text;
    }

    private static String quoted(String value) {
        return value.replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
    }

    private static List<AdaptationSet> sets(Period period, TrackType type) {
        return period.adaptationSets().stream().filter(s -> s.type() == type && !s.representations().isEmpty())
                .toList();
    }

    private static Representation highest(AdaptationSet set) {
        return set.representations().stream().max(Comparator.comparingLong(Representation::bandwidth)).orElseThrow();
    }

    /** {@code 25}, {@code 30000/1001} → {@code 25.000}, {@code 29.970}. */
    private static Optional<String> frameRate(String written) {
        try {
            int slash = written.indexOf('/');
            BigDecimal rate = slash < 0 ? new BigDecimal(written.strip())
                    : new BigDecimal(written.substring(0, slash).strip())
                    .divide(new BigDecimal(written.substring(slash + 1).strip()), 3, RoundingMode.HALF_UP);
            return rate.signum() > 0 ? Optional.of(rate.setScale(3, RoundingMode.HALF_UP).toPlainString())
                    : Optional.empty();
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static String seconds(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }
}
