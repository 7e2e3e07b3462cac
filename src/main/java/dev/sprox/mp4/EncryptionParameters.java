package dev.sprox.mp4;

import java.util.Arrays;

/**
 * How a track, or a group of its samples, is encrypted (ISO/IEC 23001-7): from a {@code tenc} box (§8.2) or a
 * {@code seig} sample group entry (§6), which carry the same fields. {@code cryptByteBlock}:{@code skipByteBlock}
 * is the pattern ({@code cbcs}, {@code cens}; 0:0 without one); {@code perSampleIvSize} is 0, 8 or 16, and 0 means
 * every sample uses {@code constantIv}.
 */
public record EncryptionParameters(int cryptByteBlock, int skipByteBlock, boolean isProtected, int perSampleIvSize,
                                   byte[] kid, byte[] constantIv) {

    /** The payload of a {@code tenc} box. */
    public static EncryptionParameters ofTenc(byte[] payload) throws Mp4Exception {
        var in = new Payload("tenc", payload);
        int version = in.u8();
        in.skip(3 + 1);
        int pattern = in.u8();
        return fields(in, version == 0 ? 0 : pattern);
    }

    /** One {@code seig} entry (after the {@code sgpd} header). */
    static EncryptionParameters ofSeig(Payload in) throws Mp4Exception {
        in.skip(1);
        return fields(in, in.u8());
    }

    private static EncryptionParameters fields(Payload in, int pattern) throws Mp4Exception {
        boolean isProtected = in.u8() == 1;
        int ivSize = in.u8();
        if (ivSize != 0 && ivSize != 8 && ivSize != 16) {
            throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "per-sample IV size " + ivSize + " is not 0, 8 or 16");
        }
        byte[] kid = in.bytes(16);
        byte[] constantIv = new byte[0];
        if (isProtected && ivSize == 0) {
            int constantSize = in.u8();
            if (constantSize != 8 && constantSize != 16) {
                throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "constant IV size " + constantSize
                        + " is not 8 or 16");
            }
            constantIv = in.bytes(constantSize);
        }
        return new EncryptionParameters(pattern >>> 4, pattern & 0xF, isProtected, ivSize, kid, constantIv);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptionParameters o && cryptByteBlock == o.cryptByteBlock
                && skipByteBlock == o.skipByteBlock && isProtected == o.isProtected
                && perSampleIvSize == o.perSampleIvSize && Arrays.equals(kid, o.kid)
                && Arrays.equals(constantIv, o.constantIv);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kid) * 31 + perSampleIvSize;
    }

    @Override
    public String toString() {
        return "EncryptionParameters[pattern=" + cryptByteBlock + ":" + skipByteBlock + ", protected=" + isProtected
                + ", ivSize=" + perSampleIvSize + ", kid=" + java.util.HexFormat.of().formatHex(kid) + "]";
    }
}
