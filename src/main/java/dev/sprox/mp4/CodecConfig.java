package dev.sprox.mp4;

import java.util.Optional;

/** The fields of a sample entry's decoder configuration that say what one of its samples must look like. */
public final class CodecConfig {
    private static final int ES_DESCRIPTOR = 3;
    private static final int DECODER_CONFIG = 4;
    private static final int DECODER_SPECIFIC_INFO = 5;
    private static final int MPEG4_AUDIO = 0x40;
    private static final int SBR = 5;
    private static final int PS = 29;

    private CodecConfig() {}

    /** An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): the core coder, its sampling rate and channels. */
    public record AudioSpecificConfig(int objectType, int samplingIndex, int channelConfiguration) {}

    /** The bytes before each NAL unit that give its length: {@code avcC} (ISO/IEC 14496-15 §5.3.3.1). */
    public static int avcNalLengthSize(byte[] avcC) throws Mp4Exception {
        var in = new Payload("avcC", avcC);
        in.skip(4);
        return (in.u8() & 3) + 1;
    }

    /** The same for {@code hvcC} (ISO/IEC 14496-15 §8.3.3.1). */
    public static int hevcNalLengthSize(byte[] hvcC) throws Mp4Exception {
        var in = new Payload("hvcC", hvcC);
        in.skip(21);
        return (in.u8() & 3) + 1;
    }

    /**
     * The AudioSpecificConfig in an {@code esds} (ISO/IEC 14496-1 §7.2.6.5), when it is MPEG-4 audio with a sampling
     * rate from the table; for HE-AAC (SBR, PS) the core's object type and rate.
     */
    public static Optional<AudioSpecificConfig> audioSpecificConfig(byte[] esds) throws Mp4Exception {
        var in = new Payload("esds", esds);
        in.skip(4);
        if (in.u8() != ES_DESCRIPTOR) {
            return Optional.empty();
        }
        size(in);
        in.skip(2);
        int flags = in.u8();
        if ((flags & 0x80) != 0) {
            in.skip(2);
        }
        if ((flags & 0x40) != 0) {
            in.skip(in.u8());
        }
        if ((flags & 0x20) != 0) {
            in.skip(2);
        }
        if (in.u8() != DECODER_CONFIG) {
            return Optional.empty();
        }
        size(in);
        int objectTypeIndication = in.u8();
        in.skip(12);
        if (objectTypeIndication != MPEG4_AUDIO || in.remaining() == 0 || in.u8() != DECODER_SPECIFIC_INFO) {
            return Optional.empty();
        }
        int length = size(in);
        try {
            return audioSpecificConfig(new BitReader(in.bytes(Math.min(length, in.remaining()))));
        } catch (BitReader.Exhausted e) {
            return Optional.empty();
        }
    }

    private static Optional<AudioSpecificConfig> audioSpecificConfig(BitReader bits) {
        int objectType = objectType(bits);
        int samplingIndex = bits.read(4);
        if (samplingIndex == 15) {
            return Optional.empty();
        }
        int channels = bits.read(4);
        if (objectType == SBR || objectType == PS) {
            if (bits.read(4) == 15) {
                return Optional.empty();
            }
            objectType = objectType(bits);
        }
        return Optional.of(new AudioSpecificConfig(objectType, samplingIndex, channels));
    }

    private static int objectType(BitReader bits) {
        int type = bits.read(5);
        return type == 31 ? 32 + bits.read(6) : type;
    }

    /** A descriptor's size: up to four bytes of seven bits each (ISO/IEC 14496-1 §8.3.3). */
    private static int size(Payload in) throws Mp4Exception {
        int size = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.u8();
            size = size << 7 | b & 0x7F;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return size;
    }
}
