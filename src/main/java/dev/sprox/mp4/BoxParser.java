package dev.sprox.mp4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Parses boxes held in memory (an init segment, a {@code moof}) into a tree. Containers sprox must look into are
 * parsed; everything else stays a {@link Box.Leaf}. Every size is checked against the bytes around it, so a hostile
 * size is an {@link Mp4Exception}, never a read past the end or an allocation beyond the input; nesting is
 * bounded, so no input recurses deeply.
 */
public final class BoxParser {
    /** Deeper than any real file (moov/trak/mdia/minf/stbl/stsd/encv/sinf/schi/tenc is 10). */
    static final int MAX_DEPTH = 16;

    /** Boxes of boxes, and how many bytes of fields come before their children (sample entries are below). */
    private static final Map<String, Integer> CONTAINERS = Map.ofEntries(Map.entry("moov", 0), Map.entry("trak", 0),
            Map.entry("mdia", 0), Map.entry("minf", 0), Map.entry("stbl", 0), Map.entry("mvex", 0),
            Map.entry("moof", 0), Map.entry("traf", 0), Map.entry("sinf", 0), Map.entry("schi", 0),
            Map.entry("edts", 0), Map.entry("dinf", 0), Map.entry("stsd", 8));

    private BoxParser() {}

    /** Every top-level box of {@code data}; the last may have size 0 (to the end). */
    public static List<Box> parse(byte[] data) throws Mp4Exception {
        return parse(data, 0, data.length, 0);
    }

    /** The single box that {@code data} holds, such as a {@code moof} read whole from a stream. */
    public static Box parseOne(byte[] data) throws Mp4Exception {
        List<Box> boxes = parse(data);
        if (boxes.size() != 1) {
            throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "expected one box, found " + boxes.size());
        }
        return boxes.getFirst();
    }

    private static List<Box> parse(byte[] data, int from, int end, int depth) throws Mp4Exception {
        if (depth > MAX_DEPTH) {
            throw new Mp4Exception(Mp4Exception.Reason.TOO_DEEP, "boxes nested deeper than " + MAX_DEPTH);
        }
        var boxes = new ArrayList<Box>();
        int at = from;
        while (at < end) {
            BoxHeader header = BoxHeader.parse(data, at, end, depth == 0);
            int payloadStart = at + header.headerLength();
            int boxEnd = Math.toIntExact(at + header.size());
            boxes.add(box(header, data, payloadStart, boxEnd, depth));
            at = boxEnd;
        }
        return boxes;
    }

    private static Box box(BoxHeader header, byte[] data, int start, int end, int depth) throws Mp4Exception {
        int prefix = prefixLength(header.type(), data, start, end);
        if (prefix < 0) {
            return new Box.Leaf(header.type(), header.largeSize(), Arrays.copyOfRange(data, start, end));
        }
        if (end - start < prefix) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "box " + header.type() + " has " + (end - start)
                    + " bytes, less than its " + prefix + " bytes of fields");
        }
        return new Box.Container(header.type(), header.largeSize(), Arrays.copyOfRange(data, start, start + prefix),
                parse(data, start + prefix, end, depth + 1));
    }

    /** Bytes of fields before the children, or -1 for a box kept as a leaf. */
    private static int prefixLength(String type, byte[] data, int start, int end) {
        Integer fixed = CONTAINERS.get(type);
        if (fixed != null) {
            return fixed;
        }
        return switch (type) {
            // VisualSampleEntry: 8 bytes of SampleEntry, 70 of visual fields (§12.1.3).
            case "encv" -> 78;
            // AudioSampleEntry: 8 + 20, or QuickTime's sound description version 1 (+16) or 2 (+36).
            case "enca" -> {
                int version = end - start >= 10 ? (data[start + 8] & 0xFF) << 8 | data[start + 9] & 0xFF : 0;
                yield version == 1 ? 44 : version == 2 ? 64 : 28;
            }
            default -> -1;
        };
    }
}
