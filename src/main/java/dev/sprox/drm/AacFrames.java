package dev.sprox.drm;

import dev.sprox.mp4.BitReader;
import dev.sprox.mp4.CodecConfig;
import java.util.Optional;

/**
 * AAC LC samples (ISO/IEC 14496-3 §4.4.2.1, {@code raw_data_block}), HE-AAC's core included. Encrypted whole, so
 * their first bits are the key's test: after any fill or data stream elements (ffmpeg's encoder starts with one),
 * the first channel element is the one the channel configuration puts first (§1.6.3.4: a channel pair for stereo, a
 * single channel otherwise), and it obeys the rules decoders enforce: in {@code ics_info} the reserved bit is 0, no
 * more scale factor bands than the sampling rate has and no prediction (LC); a stereo mask that is not the reserved
 * 3; and section data whose sections cover exactly those bands, none with the reserved codebook 12. A coupling
 * channel or program configuration element first is judged by its own fields. Random bytes pass about once in 120
 * samples ({@code SampleCheckTest}), so the 16 checked before an answer starts let a wrong key through about once
 * in 2^110, and every later sample is checked too.
 */
record AacFrames(int channelConfiguration, int samplingIndex, int maxSfbLong, int maxSfbShort) implements SampleCheck {
    private static final int SCE = 0;
    private static final int CPE = 1;
    private static final int CCE = 2;
    private static final int DSE = 4;
    private static final int PCE = 5;
    private static final int FIL = 6;
    private static final int EIGHT_SHORT_SEQUENCE = 2;
    private static final int AAC_LC = 2;
    private static final int RESERVED_CODEBOOK = 12;
    /** Sections of one window group past which (empty ones, which nothing forbids) the frame is not judged. */
    private static final int MAX_SECTIONS = 64;
    /** Scale factor bands of a long and a short window, by sampling frequency index (§4.5.4). */
    private static final int[] SWB_LONG = {41, 41, 47, 49, 49, 51, 47, 47, 43, 43, 43, 40, 40};
    private static final int[] SWB_SHORT = {12, 12, 12, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15};
    /** Elements before the first channel element that are skipped; after that many, the sample is not judged. */
    private static final int MAX_LEADING = 8;

    /** The check for an AudioSpecificConfig, when it is AAC LC with a channel configuration of 1 to 7. */
    static Optional<AacFrames> of(CodecConfig.AudioSpecificConfig config) {
        int index = config.samplingIndex();
        if (config.objectType() != AAC_LC || config.channelConfiguration() < 1 || config.channelConfiguration() > 7
                || index >= SWB_LONG.length) {
            return Optional.empty();
        }
        return Optional.of(new AacFrames(config.channelConfiguration(), index, SWB_LONG[index], SWB_SHORT[index]));
    }

    @Override
    public boolean plausible(byte[] sample, int length, EncryptedRanges encrypted, boolean thorough) {
        int judged = Math.min(length, encrypted.prefix());
        var bits = new BitReader(sample, judged);
        try {
            for (int i = 0; i < MAX_LEADING; i++) {
                int element = bits.read(3);
                switch (element) {
                    case FIL -> {
                        int count = bits.read(4);
                        bits.skipBytes(count == 15 ? count + bits.read(8) - 1 : count);
                    }
                    case DSE -> {
                        bits.read(4);
                        boolean aligned = bits.read(1) == 1;
                        int count = bits.read(8);
                        count += count == 255 ? bits.read(8) : 0;
                        if (aligned) {
                            bits.align();
                        }
                        bits.skipBytes(count);
                    }
                    case SCE, CPE -> {
                        return element == (channelConfiguration == 2 ? CPE : SCE) && channelElement(element, bits);
                    }
                    case CCE -> {
                        return couplingElement(bits);
                    }
                    case PCE -> {
                        bits.read(4);
                        return bits.read(2) == AAC_LC - 1 && bits.read(4) == samplingIndex;
                    }
                    default -> {
                        return false; // LFE and END are never first in configurations 1 to 7
                    }
                }
            }
            return true;
        } catch (BitReader.Exhausted e) {
            // A frame holds its elements; only where its last bytes were clear can the parse run out undecided.
            return judged < length;
        }
    }

    /** The first channel element, up to its first channel's section data (§4.4.2.1 table 4.5, §4.4.2.7). */
    private boolean channelElement(int element, BitReader bits) {
        bits.read(4); // element_instance_tag: the standard ties no value to the configuration
        if (element == CPE && bits.read(1) == 1) { // common_window
            Ics ics = icsInfo(bits);
            if (ics == null) {
                return false;
            }
            int msMask = bits.read(2);
            if (msMask == 3) { // reserved
                return false;
            }
            if (msMask == 1) {
                bits.skipBits(ics.groups() * ics.maxSfb());
            }
            bits.read(8); // global_gain
            return sections(bits, ics);
        }
        return individualChannelStream(bits);
    }

    /** A coupling channel element (§4.4.2.1 table 4.8): its header, then a channel stream like any other. */
    private boolean couplingElement(BitReader bits) {
        bits.read(4 + 1); // element_instance_tag, ind_sw_cce_flag
        int coupled = bits.read(3) + 1;
        for (int c = 0; c < coupled; c++) {
            boolean pair = bits.read(1) == 1;
            bits.read(4);
            if (pair) {
                bits.read(2);
            }
        }
        bits.read(1 + 1 + 2); // cc_domain, gain_element_sign, gain_element_scale
        return individualChannelStream(bits);
    }

    private boolean individualChannelStream(BitReader bits) {
        bits.read(8); // global_gain
        Ics ics = icsInfo(bits);
        return ics != null && sections(bits, ics);
    }

    /** What {@code ics_info} says the section data covers. */
    private record Ics(int maxSfb, int groups, boolean shortWindows) {}

    /** {@code ics_info} (§4.4.2.2 table 4.6), or null when it breaks a rule. */
    private Ics icsInfo(BitReader bits) {
        if (bits.read(1) != 0) { // ics_reserved_bit
            return null;
        }
        int windowSequence = bits.read(2);
        bits.read(1); // window_shape
        if (windowSequence == EIGHT_SHORT_SEQUENCE) {
            int maxSfb = bits.read(4);
            int grouping = bits.read(7);
            return maxSfb > maxSfbShort ? null : new Ics(maxSfb, 8 - Integer.bitCount(grouping), true);
        }
        int maxSfb = bits.read(6);
        boolean predictor = bits.read(1) == 1; // predictor_data_present: no prediction in LC
        return maxSfb > maxSfbLong || predictor ? null : new Ics(maxSfb, 1, false);
    }

    /**
     * {@code section_data} (§4.4.2.7 table 4.46): in each window group, sections whose lengths add up to exactly
     * {@code max_sfb}, none coded with the reserved codebook 12.
     */
    private static boolean sections(BitReader bits, Ics ics) {
        int lengthBits = ics.shortWindows() ? 3 : 5;
        int escape = (1 << lengthBits) - 1;
        for (int group = 0; group < ics.groups(); group++) {
            int band = 0;
            for (int section = 0; band < ics.maxSfb(); section++) {
                if (section > MAX_SECTIONS || bits.read(4) == RESERVED_CODEBOOK) {
                    return section > MAX_SECTIONS;
                }
                int increment;
                do {
                    increment = bits.read(lengthBits);
                    band += increment;
                } while (increment == escape && band <= ics.maxSfb());
                if (band > ics.maxSfb()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String codec() {
        return "AAC";
    }
}
