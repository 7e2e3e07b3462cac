package dev.sprox.dash;

import dev.sprox.dash.Mpd.ByteRange;
import dev.sprox.dash.Mpd.Representation;
import dev.sprox.dash.Mpd.SegmentBase;
import dev.sprox.dash.Mpd.SegmentList;
import dev.sprox.dash.Mpd.SegmentTemplate;
import dev.sprox.dash.Mpd.TimelineEntry;
import dev.sprox.dash.SegmentIndexBox.Subsegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists one Representation's segments in one Period within a {@link SegmentWindow}. Template and timeline
 * arithmetic skips what lies outside the window instead of walking it, so a live MPD years past its
 * availabilityStartTime, or an {@code S@r} of two billion, costs no more than the segments listed; a live list
 * keeps the newest {@link MpdLimits#maxSegments()}, a static one longer than that is refused.
 */
final class SegmentLister {
    private final Representation representation;
    private final SegmentWindow window;
    private final int maxSegments;
    private final ArrayDeque<MediaSegment> segments = new ArrayDeque<>();

    private SegmentLister(Representation representation, SegmentWindow window, int maxSegments) {
        this.representation = representation;
        this.window = window;
        this.maxSegments = maxSegments;
    }

    static List<MediaSegment> list(Mpd mpd, Mpd.Period period, Representation representation,
                                   java.time.Instant now, Map<IndexRequest, List<Subsegment>> indexes,
                                   MpdLimits limits) throws MpdException {
        long timescale = switch (representation.addressing()) {
            case SegmentTemplate t -> t.timescale();
            case SegmentList l -> l.timescale();
            case SegmentBase b -> b.timescale();
        };
        var lister = new SegmentLister(representation, SegmentWindow.of(mpd, period, now, timescale),
                limits.maxSegments());
        switch (representation.addressing()) {
            case SegmentTemplate template -> lister.template(template);
            case SegmentList list -> lister.list(list);
            case SegmentBase base -> lister.base(base, indexes);
        }
        return List.copyOf(lister.segments);
    }

    private void template(SegmentTemplate template) throws MpdException {
        boolean byTime = template.media().contains("$Time") && !template.media().contains("$Number");
        if (template.timeline().isEmpty()) {
            long d = template.duration().orElseThrow();
            long first = 0;
            long last = window.periodEnd() == Long.MAX_VALUE ? Long.MAX_VALUE : ceilDiv(window.periodEnd(), d);
            if (template.endNumber().isPresent()) {
                last = Math.min(last, template.endNumber().get() - template.startNumber() + 1);
            }
            if (window.live()) {
                last = Math.min(last, Math.floorDiv(window.highestEnd(), d));
                if (window.lowestEnd() != Long.MIN_VALUE) {
                    first = Math.max(first, ceilDiv(window.lowestEnd(), d) - 1);
                }
            } else if (last == Long.MAX_VALUE) {
                throw new MpdException(0, "Representation " + representation.id()
                        + ": a numbered SegmentTemplate in a Period of unknown duration");
            }
            first = skipTo(first, last);
            for (long k = first; k < last; k++) {
                long start = k * d;
                long duration = Math.min(d, window.periodEnd() - start);
                long time = template.presentationTimeOffset() + start;
                long number = template.startNumber() + k;
                add(new MediaSegment(expand(template.media(), number, time), Optional.empty(), start, duration,
                        template.timescale(), byTime ? time / d : number));
            }
            return;
        }
        timeline(template.timeline(), template.presentationTimeOffset(), template.startNumber(), template.timescale(),
                (index, number, time, d) -> new MediaSegment(expand(template.media(), number, time),
                        Optional.empty(), time - template.presentationTimeOffset(), d, template.timescale(),
                        byTime ? time / d : number));
    }

    @FunctionalInterface
    private interface SegmentAt {
        MediaSegment at(long index, long number, long time, long duration) throws MpdException;
    }

    /** Walks a SegmentTimeline, listing what the window admits; {@code index} counts from the first S. */
    private void timeline(List<TimelineEntry> entries, long pto, long startNumber, long timescale, SegmentAt at)
            throws MpdException {
        long time = 0;
        long index = 0;
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry s = entries.get(i);
            time = s.t().orElse(time);
            long d = s.d();
            long count;
            if (s.r() >= 0) {
                count = s.r() + 1;
            } else {
                long bound;
                if (i + 1 < entries.size() && entries.get(i + 1).t().isPresent()) {
                    bound = entries.get(i + 1).t().get();
                } else if (window.periodEnd() != Long.MAX_VALUE) {
                    bound = window.periodEnd() + pto;
                } else if (window.live()) {
                    bound = window.highestEnd() + pto;
                } else {
                    throw new MpdException(0, "Representation " + representation.id()
                            + ": S@r=-1 in a Period of unknown duration");
                }
                count = Math.max(0, ceilDiv(bound - time, d));
            }
            long offset = time - pto; // start of this run's first segment from the Period's start
            long from = 0;
            long to = count;
            if (window.lowestEnd() != Long.MIN_VALUE) {
                from = Math.max(from, ceilDiv(window.lowestEnd() - offset, d) - 1);
            }
            if (window.highestEnd() != Long.MAX_VALUE) {
                to = Math.min(to, Math.floorDiv(window.highestEnd() - offset, d));
            }
            if (window.periodEnd() != Long.MAX_VALUE) {
                to = Math.min(to, ceilDiv(window.periodEnd() - offset, d));
            }
            from = skipTo(from, to);
            for (long j = from; j < to; j++) {
                add(at.at(index + j, startNumber + index + j, time + j * d, d));
            }
            time += count * d;
            index += count;
        }
    }

    private void list(SegmentList list) throws MpdException {
        if (!list.timeline().isEmpty()) {
            timeline(list.timeline(), list.presentationTimeOffset(), list.startNumber(), list.timescale(),
                    (index, number, time, d) -> index < list.urls().size() ? segmentUrl(list, (int) index,
                            time - list.presentationTimeOffset(), d, number) : null);
            return;
        }
        long d = list.duration().orElse(window.periodEnd() == Long.MAX_VALUE ? 0 : window.periodEnd());
        if (d <= 0) {
            throw new MpdException(0, "Representation " + representation.id()
                    + ": a SegmentList without durations in a Period of unknown duration");
        }
        for (int k = 0; k < list.urls().size(); k++) {
            long start = k * d;
            long duration = Math.min(d, window.periodEnd() - start);
            if (duration > 0 && window.admits(start, duration)) {
                add(segmentUrl(list, k, start, duration, list.startNumber() + k));
            }
        }
    }

    private static MediaSegment segmentUrl(SegmentList list, int index, long start, long duration, long number) {
        Mpd.SegmentUrl url = list.urls().get(index);
        return new MediaSegment(url.media(), url.mediaRange(), start, duration, list.timescale(), number);
    }

    private void base(SegmentBase base, Map<IndexRequest, List<Subsegment>> indexes) throws MpdException {
        if (base.indexRange().isEmpty()) {
            if (window.periodEnd() == Long.MAX_VALUE) {
                throw new MpdException(0, "Representation " + representation.id()
                        + ": a single-file Representation in a Period of unknown duration");
            }
            add(new MediaSegment(base.url(), Optional.empty(), 0, window.periodEnd(), base.timescale(), 0));
            return;
        }
        var request = new IndexRequest(base.url(), base.indexRange().get());
        List<Subsegment> subsegments = indexes.get(request);
        if (subsegments == null) {
            throw new MpdException(0, "Representation " + representation.id() + ": segment index "
                    + request.range().first() + "-" + request.range().last() + " of " + base.url() + " not supplied");
        }
        long start = 0;
        long number = 0;
        for (Subsegment subsegment : subsegments) {
            // An on-demand file is listed whole, in the sidx's own timescale (which may differ from the MPD's).
            add(new MediaSegment(base.url(), Optional.of(new ByteRange(subsegment.offset(),
                    subsegment.offset() + subsegment.size() - 1)), start, subsegment.duration(),
                    subsegment.timescale(), number));
            start += subsegment.duration();
            number++;
        }
    }

    /** For a live window, only the newest {@code maxSegments} of [from, to) are listed. */
    private long skipTo(long from, long to) {
        return window.live() && to - from > maxSegments ? to - maxSegments : from;
    }

    private void add(MediaSegment segment) throws MpdException {
        if (segment == null) {
            return;
        }
        segments.addLast(segment);
        if (segments.size() > maxSegments) {
            if (!window.live()) {
                throw new MpdException(0, "Representation " + representation.id() + " has more than " + maxSegments
                        + " segments");
            }
            segments.removeFirst();
        }
    }

    private String expand(String template, long number, long time) {
        return SegmentTemplateText.expand(template, representation.id(), representation.bandwidth(), number, time);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
