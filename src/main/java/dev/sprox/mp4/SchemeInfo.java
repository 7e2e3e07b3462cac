package dev.sprox.mp4;

/** The fields of a {@code sinf} box's {@code frma} and {@code schm} (ISO/IEC 14496-12 §8.12). */
public final class SchemeInfo {
    private SchemeInfo() {}

    /** The sample entry format the protection replaced, e.g. {@code avc1} behind {@code encv}. */
    public static String originalFormat(byte[] frmaPayload) throws Mp4Exception {
        return FourCc.of((int) new Payload("frma", frmaPayload).u32());
    }

    /** The protection scheme, e.g. {@code cenc} or {@code cbcs}. */
    public static String schemeType(byte[] schmPayload) throws Mp4Exception {
        var in = new Payload("schm", schmPayload);
        in.skip(4);
        return FourCc.of((int) in.u32());
    }
}
