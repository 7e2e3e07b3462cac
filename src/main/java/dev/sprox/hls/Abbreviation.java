package dev.sprox.hls;

/** Keeps error messages short when they quote playlist or MPD text, which may be kilobytes long. */
public final class Abbreviation {
    private static final int LIMIT = 120;

    private Abbreviation() {}

    public static String of(String text) {
        return text.length() <= LIMIT ? text : text.substring(0, LIMIT) + "…";
    }
}
