package dev.sprox.mp4;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code seig} sample groups of a track fragment (ISO/IEC 23001-7 §6; ISO/IEC 14496-12 §8.9): which samples
 * use which encryption parameters when they differ from the track's {@code tenc} (key rotation).
 */
public final class SampleGroups {
    /** Group description indexes above this refer to the fragment's own {@code sgpd} (§8.9.4). */
    public static final int FRAGMENT_LOCAL = 0x10000;
    private static final int SEIG = FourCc.value("seig");

    /** A run of {@code sampleCount} samples in group {@code groupIndex} (0: none, the track's defaults). */
    public record Run(long sampleCount, long groupIndex) {}

    private SampleGroups() {}

    /** Whether a {@code sbgp} or {@code sgpd} payload is about {@code seig} groups. */
    public static boolean isSeig(byte[] payload) throws Mp4Exception {
        var in = new Payload("sample group", payload);
        in.skip(4);
        return in.u32() == (SEIG & 0xFFFF_FFFFL);
    }

    public static List<Run> parseSbgp(byte[] payload) throws Mp4Exception {
        var in = new Payload("sbgp", payload);
        int version = in.u8();
        in.skip(3 + 4);
        if (version == 1) {
            in.skip(4);
        }
        int count = in.entries(in.u32(), 8, TrackRun.MAX_SAMPLES);
        var runs = new ArrayList<Run>(count);
        for (int i = 0; i < count; i++) {
            runs.add(new Run(in.u32(), in.u32()));
        }
        return runs;
    }

    public static List<EncryptionParameters> parseSeigDescriptions(byte[] payload) throws Mp4Exception {
        var in = new Payload("sgpd", payload);
        int version = in.u8();
        in.skip(3 + 4);
        long defaultLength = version == 1 ? in.u32() : 0;
        if (version >= 2) {
            in.skip(4);
        }
        int count = in.entries(in.u32(), 20, 0xFFFF);
        var entries = new ArrayList<EncryptionParameters>(count);
        for (int i = 0; i < count; i++) {
            if (version == 1 && defaultLength == 0) {
                in.u32();
            }
            entries.add(EncryptionParameters.ofSeig(in));
        }
        return entries;
    }
}
