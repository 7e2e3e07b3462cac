package dev.sprox.mp4;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A {@code senc} box (ISO/IEC 23001-7 §7.2): each sample's IV and, for subsample encryption, its map of clear
 * and protected byte ranges.
 */
public final class SampleEncryption {
    private static final int USE_SUBSAMPLES = 0x2;

    /**
     * One sample's entry: {@code iv} (empty where the IV is constant), and pairs of clear then protected byte
     * counts; {@code clear} is empty when the whole sample is protected.
     */
    public record Entry(byte[] iv, int[] clear, long[] protectedBytes) {}

    private SampleEncryption() {}

    /**
     * @param ivSize the per-sample IV size of sample {@code i} (from {@code tenc} or its {@code seig} group)
     */
    public static List<Entry> parse(byte[] payload, IntUnaryOperator ivSize) throws Mp4Exception {
        var in = new Payload("senc", payload);
        in.u8();
        int flags = in.u24();
        int count = in.entries(in.u32(), 0, TrackRun.MAX_SAMPLES);
        var entries = new ArrayList<Entry>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            byte[] iv = in.bytes(ivSize.applyAsInt(i));
            if ((flags & USE_SUBSAMPLES) == 0) {
                entries.add(new Entry(iv, new int[0], new long[0]));
                continue;
            }
            int pairs = in.entries(in.u16(), 6, 0xFFFF);
            int[] clear = new int[pairs];
            long[] protectedBytes = new long[pairs];
            for (int p = 0; p < pairs; p++) {
                clear[p] = in.u16();
                protectedBytes[p] = in.u32();
            }
            entries.add(new Entry(iv, clear, protectedBytes));
        }
        return entries;
    }
}
