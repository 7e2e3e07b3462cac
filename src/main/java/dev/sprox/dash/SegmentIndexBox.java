package dev.sprox.dash;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code sidx} box (ISO/IEC 14496-12 §8.16.3), the index an on-demand Representation's
 * {@code SegmentBase@indexRange} points at, into the byte range and duration of each subsegment. Pure: the
 * bytes are fetched by the caller.
 */
public final class SegmentIndexBox {

    /** One subsegment: bytes {@code [offset, offset + size)} of the file, lasting {@code duration/timescale} s. */
    public record Subsegment(long offset, long size, long duration, long timescale) {}

    private SegmentIndexBox() {}

    /**
     * @param box          the bytes of the index range, starting with the {@code sidx} box header
     * @param boxFileOffset where those bytes start in the file (the first byte of {@code indexRange})
     * @throws MpdException when the bytes are no single-level {@code sidx}
     */
    public static List<Subsegment> parse(byte[] box, long boxFileOffset) throws MpdException {
        var in = new Reader(box);
        long size = in.u32();
        if (in.u32() != 0x73696478L) { // 'sidx'
            throw new MpdException(0, "index range does not start with a sidx box");
        }
        if (size == 1) {
            size = in.u64();
        }
        if (size < 8 || size > box.length) {
            throw new MpdException(0, "sidx box of " + size + " bytes does not fit the " + box.length
                    + " bytes of the index range");
        }
        int version = in.u8();
        in.skip(3 + 4); // flags, reference_ID
        long timescale = in.u32();
        if (timescale == 0) {
            throw new MpdException(0, "sidx timescale is zero");
        }
        long firstOffset;
        if (version == 0) {
            in.skip(4);
            firstOffset = in.u32();
        } else {
            in.skip(8);
            firstOffset = in.u64();
        }
        in.skip(2);
        int count = in.u16();
        List<Subsegment> subsegments = new ArrayList<>(count);
        long offset = boxFileOffset + size + firstOffset; // anchored at the first byte after the sidx box
        for (int i = 0; i < count; i++) {
            long reference = in.u32();
            if ((reference & 0x8000_0000L) != 0) {
                throw new MpdException(0, "hierarchical sidx (a reference to another index) is not supported");
            }
            long referencedSize = reference & 0x7FFF_FFFFL;
            long duration = in.u32();
            in.skip(4); // SAP fields
            subsegments.add(new Subsegment(offset, referencedSize, duration, timescale));
            offset += referencedSize;
        }
        return subsegments;
    }

    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int n) throws MpdException {
            if (pos + n > bytes.length) {
                throw new MpdException(0, "sidx box truncated at byte " + pos);
            }
        }

        int u8() throws MpdException {
            need(1);
            return bytes[pos++] & 0xFF;
        }

        int u16() throws MpdException {
            return u8() << 8 | u8();
        }

        long u32() throws MpdException {
            return (long) u16() << 16 | u16();
        }

        long u64() throws MpdException {
            long value = u32() << 32 | u32();
            if (value < 0) {
                throw new MpdException(0, "sidx 64-bit value out of range");
            }
            return value;
        }

        void skip(int n) throws MpdException {
            need(n);
            pos += n;
        }
    }
}
