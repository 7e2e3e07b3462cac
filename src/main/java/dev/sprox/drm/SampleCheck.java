package dev.sprox.drm;

import dev.sprox.mp4.Box;
import dev.sprox.mp4.CodecConfig;
import dev.sprox.mp4.Mp4Exception;
import java.util.Optional;

/**
 * What a decrypted sample of a track must look like. Common Encryption has no integrity check: a wrong key decrypts
 * to bytes as random as the right one's are meaningful, and only the codec's syntax can tell them apart. Each rule
 * here is one the codec's bitstream must obey (not an encoder's habit), judged only where the bytes went through AES,
 * so content decrypted with its key always passes.
 */
sealed interface SampleCheck permits SampleCheck.None, AacFrames, NalUnits, SampleCheck.SyncFrames {
    /**
     * Whether the sample, as decrypted, could be the codec's.
     *
     * @param thorough also run the rules that read every encrypted byte (the cheap ones run on every sample)
     */
    boolean plausible(byte[] sample, int length, EncryptedRanges encrypted, boolean thorough);

    /** What the sample failed to be, for the log. */
    String codec();

    /** A format sprox has no rule for: every sample passes. */
    record None() implements SampleCheck {
        @Override
        public boolean plausible(byte[] sample, int length, EncryptedRanges encrypted, boolean thorough) {
            return true;
        }

        @Override
        public String codec() {
            return "unchecked";
        }
    }

    /** AC-3 and E-AC-3 (ETSI TS 102 366 §4.3, §E.1.2): each sample starts with a sync frame's sync word. */
    record SyncFrames() implements SampleCheck {
        @Override
        public boolean plausible(byte[] sample, int length, EncryptedRanges encrypted, boolean thorough) {
            return encrypted.prefix() < 2 || (sample[0] == 0x0B && sample[1] == 0x77);
        }

        @Override
        public String codec() {
            return "AC-3";
        }
    }

    SampleCheck NONE = new None();

    /** The check for a sample entry of {@code format} (the original one, from {@code frma}). */
    static SampleCheck of(String format, Box.Container entry) throws Mp4Exception {
        return switch (format) {
            case "avc1", "avc3" -> {
                Optional<byte[]> avcC = entry.leaf("avcC");
                yield avcC.isEmpty() ? NONE : new NalUnits(CodecConfig.avcNalLengthSize(avcC.get()), "H.264");
            }
            case "hvc1", "hev1" -> {
                Optional<byte[]> hvcC = entry.leaf("hvcC");
                yield hvcC.isEmpty() ? NONE : new NalUnits(CodecConfig.hevcNalLengthSize(hvcC.get()), "HEVC");
            }
            case "mp4a" -> {
                Optional<byte[]> esds = entry.leaf("esds");
                yield esds.isEmpty() ? NONE : CodecConfig.audioSpecificConfig(esds.get())
                        .<SampleCheck>flatMap(AacFrames::of).orElse(NONE);
            }
            case "ac-3", "ec-3" -> new SyncFrames();
            default -> NONE;
        };
    }
}
