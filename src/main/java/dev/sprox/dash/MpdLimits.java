package dev.sprox.dash;

/**
 * Bounds on one MPD, checked before or while it is read, so hostile input costs at most this much.
 *
 * @param maxChars     longest document accepted, in chars; longer input is refused before any parsing, which
 *                     also bounds every attribute and text node (a 100 MB attribute never reaches the parser)
 * @param maxDepth     deepest element nesting accepted; a real MPD nests about seven levels
 * @param maxElements  most elements accepted
 * @param maxSegments  most segments one converted media playlist lists; a live window without
 *                     {@code timeShiftBufferDepth} keeps the newest this many
 */
public record MpdLimits(int maxChars, int maxDepth, int maxElements, int maxSegments) {

    public static final int DEFAULT_MAX_CHARS = 8 * 1024 * 1024;

    public MpdLimits {
        if (maxChars <= 0 || maxDepth <= 0 || maxElements <= 0 || maxSegments <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static MpdLimits defaults() {
        return new MpdLimits(DEFAULT_MAX_CHARS, 32, 1_000_000, 20_000);
    }

    public MpdLimits withMaxChars(int limit) {
        return new MpdLimits(limit, maxDepth, maxElements, maxSegments);
    }
}
