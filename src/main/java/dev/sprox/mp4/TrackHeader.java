package dev.sprox.mp4;

/** The fields of {@code tkhd} (§8.3.2) and {@code trex} (§8.8.3) that sprox needs. */
public final class TrackHeader {
    private TrackHeader() {}

    public static long trackId(byte[] payload) throws Mp4Exception {
        var in = new Payload("tkhd", payload);
        int version = in.u8();
        in.skip(3 + (version == 1 ? 16 : 8));
        return in.u32();
    }

    /** A {@code trex} box: the defaults of one track's fragments. */
    public record TrackDefaults(long trackId, long sampleSize) {}

    public static TrackDefaults trackDefaults(byte[] trexPayload) throws Mp4Exception {
        var in = new Payload("trex", trexPayload);
        in.skip(4);
        long trackId = in.u32();
        in.skip(8);
        return new TrackDefaults(trackId, in.u32());
    }
}
