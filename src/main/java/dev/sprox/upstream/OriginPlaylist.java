package dev.sprox.upstream;

import dev.sprox.hls.PlaylistException;
import dev.sprox.http.ContentRange;
import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The rules for taking a playlist from an origin's answer before it is rewritten, shared by route mode and the
 * direct endpoints: only a whole playlist is rewritten, it is read whole within a limit, and it must be UTF-8.
 * A playlist that breaks them is a 502 with the reason ({@link #refused}), never a half-rewritten one.
 */
public final class OriginPlaylist {
    private static final byte[] SIGNATURE = "#EXTM3U".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOM_SIGNATURE = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '#', 'E', 'X', 'T', 'M', '3',
        'U'};
    /** Enough of a body to tell a playlist by its first line, a leading BOM included. */
    private static final int SNIFF_BYTES = BOM_SIGNATURE.length;

    private OriginPlaylist() {}

    /**
     * Whether an origin's answer holds the whole playlist: a 200, or a 206 whose one range is the whole
     * representation, which is how origins answer the {@code Range: bytes=0-} that players such as ffmpeg send
     * with every request. Only a whole playlist can be rewritten.
     */
    public static boolean isWhole(int status, Headers headers) {
        if (status == 200) {
            return true;
        }
        if (status != 206) {
            return false;
        }
        return headers.first("Content-Range").flatMap(ContentRange::parse).filter(ContentRange::isWhole).isPresent();
    }

    /**
     * RFC 8216 §4.3.1.1: a playlist's first line is {@code #EXTM3U} (a forbidden BOM before it is tolerated).
     * Reads only until the answer is certain, usually one byte: a body that waits after a few bytes (a live
     * stream) is not held up. What it read is the body's first bytes, to be sent before the rest.
     */
    public static Sniffed sniff(InputStream body) throws IOException {
        byte[] head = new byte[SNIFF_BYTES];
        int n = 0;
        while (undecided(head, n)) {
            int read = body.read(head, n, head.length - n);
            if (read < 0) {
                break;
            }
            n += read;
        }
        byte[] read = Arrays.copyOf(head, n);
        return new Sniffed(read, startsLikePlaylist(read));
    }

    /** The first bytes of a body, read by {@link #sniff}, and whether they begin a playlist. */
    public record Sniffed(byte[] head, boolean playlist) {
        /** A body that was not sniffed. */
        public static final Sniffed NOTHING = new Sniffed(new byte[0], false);

        /** The whole body again: the head, then {@code rest}. */
        public InputStream whole(InputStream rest) {
            return head.length == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(head), rest);
        }
    }

    /** Whether more bytes are needed: the first {@code n} begin the signature, with or without a BOM. */
    private static boolean undecided(byte[] head, int n) {
        return (n < SIGNATURE.length && Arrays.equals(head, 0, n, SIGNATURE, 0, n))
                || (n < BOM_SIGNATURE.length && Arrays.equals(head, 0, n, BOM_SIGNATURE, 0, n));
    }

    private static boolean startsLikePlaylist(byte[] head) {
        return Arrays.equals(head, 0, Math.min(head.length, SIGNATURE.length), SIGNATURE, 0, SIGNATURE.length)
                || Arrays.equals(head, BOM_SIGNATURE);
    }

    /** The whole body; a larger one is refused rather than buffered. */
    public static byte[] read(InputStream body, int maxBytes) throws IOException {
        byte[] bytes;
        try (body) {
            bytes = body.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            throw refused("playlist larger than " + maxBytes + " bytes");
        }
        return bytes;
    }

    /** The playlist as text; RFC 8216 §4.1 allows only UTF-8. */
    public static String text(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw refused("playlist is not UTF-8 text");
        }
    }

    /** A playlist the rewriter refused: a size limit is told apart from malformed text. */
    public static RequestRejected refused(PlaylistException e) {
        return refused((e.overLimit() ? "playlist too large: " : "malformed playlist: ") + e.getMessage());
    }

    public static RequestRejected refused(String reason) {
        return new RequestRejected(RequestError.UPSTREAM_FAILED, "bad playlist from upstream: " + reason);
    }
}
