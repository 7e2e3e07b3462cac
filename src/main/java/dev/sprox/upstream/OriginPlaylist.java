package dev.sprox.upstream;

import dev.sprox.server.Headers;
import dev.sprox.server.RequestError;
import dev.sprox.server.RequestRejected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for taking a playlist from an origin's answer before it is rewritten, shared by route mode and the
 * direct endpoints: only a whole playlist is rewritten, it is read whole within a limit, and it must be UTF-8.
 * A playlist that breaks them is a 502 with the reason ({@link #refused}), never a half-rewritten one.
 */
public final class OriginPlaylist {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+0-(\\d{1,18})/(\\d{1,18})",
            Pattern.CASE_INSENSITIVE);
    private static final byte[] SIGNATURE = "#EXTM3U".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** Enough of a body to tell a playlist by its first line, a leading BOM included. */
    public static final int SNIFF_BYTES = BOM.length + SIGNATURE.length;

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
        Matcher m = CONTENT_RANGE.matcher(headers.first("Content-Range").orElse("").strip());
        return m.matches() && Long.parseLong(m.group(1)) + 1 == Long.parseLong(m.group(2));
    }

    /** RFC 8216 §4.3.1.1: a playlist's first line is {@code #EXTM3U} (a forbidden BOM before it is tolerated). */
    public static boolean startsLikePlaylist(byte[] head) {
        int start = startsWith(head, BOM, 0) ? BOM.length : 0;
        return startsWith(head, SIGNATURE, start);
    }

    private static boolean startsWith(byte[] data, byte[] prefix, int from) {
        if (data.length - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
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

    public static RequestRejected refused(String reason) {
        return new RequestRejected(RequestError.UPSTREAM_FAILED, "bad playlist from upstream: " + reason);
    }
}
