package dev.sprox.mp4;

import java.util.OptionalLong;

/** A {@code tfhd} box (ISO/IEC 14496-12 §8.8.7): the track a {@code traf} describes and its defaults. */
public record TrackFragmentHeader(int flags, long trackId, OptionalLong baseDataOffset,
                                  OptionalLong defaultSampleSize) {
    static final int BASE_DATA_OFFSET = 0x1;
    private static final int SAMPLE_DESCRIPTION_INDEX = 0x2;
    private static final int DEFAULT_DURATION = 0x8;
    private static final int DEFAULT_SIZE = 0x10;

    public static TrackFragmentHeader parse(byte[] payload) throws Mp4Exception {
        var in = new Payload("tfhd", payload);
        in.u8();
        int flags = in.u24();
        long trackId = in.u32();
        OptionalLong base = (flags & BASE_DATA_OFFSET) != 0 ? OptionalLong.of(in.u64()) : OptionalLong.empty();
        if ((flags & SAMPLE_DESCRIPTION_INDEX) != 0) {
            in.skip(4);
        }
        if ((flags & DEFAULT_DURATION) != 0) {
            in.skip(4);
        }
        OptionalLong size = (flags & DEFAULT_SIZE) != 0 ? OptionalLong.of(in.u32()) : OptionalLong.empty();
        return new TrackFragmentHeader(flags, trackId, base, size);
    }

    /** {@code payload} with its base data offset replaced; only for a header that has one. */
    public static byte[] withBaseDataOffset(byte[] payload, long offset) {
        byte[] copy = payload.clone();
        BoxWriter.putU32(copy, 8, offset >>> 32);
        BoxWriter.putU32(copy, 12, offset);
        return copy;
    }
}
