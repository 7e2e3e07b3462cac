package dev.sprox.mp4;

import java.util.OptionalInt;

/**
 * A {@code trun} box (ISO/IEC 14496-12 §8.8.8): how many samples, where their data starts, and each one's size
 * when the run gives it ({@code sizes} is null when every sample has the fragment's default size).
 */
public record TrackRun(int sampleCount, OptionalInt dataOffset, long[] sizes) {
    /** More samples than this in one run is hostile (a second of 1000 fps video is 1000). */
    public static final int MAX_SAMPLES = 1 << 20;
    private static final int DATA_OFFSET = 0x1;
    private static final int FIRST_SAMPLE_FLAGS = 0x4;
    private static final int DURATION = 0x100;
    private static final int SIZE = 0x200;
    private static final int FLAGS = 0x400;
    private static final int COMPOSITION_OFFSET = 0x800;

    public static TrackRun parse(byte[] payload) throws Mp4Exception {
        var in = new Payload("trun", payload);
        in.u8();
        int flags = in.u24();
        long count = in.u32();
        OptionalInt offset = (flags & DATA_OFFSET) != 0 ? OptionalInt.of((int) in.u32()) : OptionalInt.empty();
        if ((flags & FIRST_SAMPLE_FLAGS) != 0) {
            in.skip(4);
        }
        int fields = Integer.bitCount(flags & (DURATION | SIZE | FLAGS | COMPOSITION_OFFSET));
        int samples = in.entries(count, 4 * fields, MAX_SAMPLES);
        long[] sizes = null;
        if ((flags & SIZE) != 0) {
            sizes = new long[samples];
            for (int i = 0; i < samples; i++) {
                if ((flags & DURATION) != 0) {
                    in.skip(4);
                }
                sizes[i] = in.u32();
                in.skip(4 * Integer.bitCount(flags & (FLAGS | COMPOSITION_OFFSET)));
            }
        }
        return new TrackRun(samples, offset, sizes);
    }

    /** {@code payload} with its data offset replaced; only for a run that has one. */
    public static byte[] withDataOffset(byte[] payload, int offset) {
        byte[] copy = payload.clone();
        BoxWriter.putU32(copy, 8, offset & 0xFFFF_FFFFL);
        return copy;
    }
}
