package dev.sprox.probe;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** What the first bytes of a segment or init section say it is; a player can only play the known ones. */
enum MediaFormat {
    MPEG_TS, FMP4, PACKED_AUDIO, WEBVTT;

    private static final int TS_PACKET = 188;
    private static final byte TS_SYNC = 0x47;
    /** Packets checked: enough to tell TS from chance, cheap on a multi-megabyte segment. */
    private static final int TS_PACKETS_CHECKED = 64;
    private static final Set<String> FMP4_BOXES = Set.of("styp", "ftyp", "moof", "moov", "sidx", "emsg", "prft");

    static Optional<MediaFormat> sniff(byte[] bytes) {
        if (isMpegTs(bytes)) {
            return Optional.of(MPEG_TS);
        }
        if (bytes.length >= 8 && FMP4_BOXES.contains(new String(bytes, 4, 4, StandardCharsets.ISO_8859_1))) {
            return Optional.of(FMP4);
        }
        if (startsWith(bytes, "ID3")) {
            return Optional.of(PACKED_AUDIO); // AAC/AC-3/MP3 segments carry their timestamp in a leading ID3 tag
        }
        if (startsWith(bytes, "WEBVTT") || startsWith(bytes, "\uFEFFWEBVTT")) {
            return Optional.of(WEBVTT);
        }
        return Optional.empty();
    }

    private static boolean isMpegTs(byte[] bytes) {
        if (bytes.length < TS_PACKET) {
            return false;
        }
        int packets = Math.min(bytes.length / TS_PACKET, TS_PACKETS_CHECKED);
        for (int i = 0; i < packets; i++) {
            if (bytes[i * TS_PACKET] != TS_SYNC) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] expected = prefix.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
