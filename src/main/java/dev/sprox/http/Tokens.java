package dev.sprox.http;

/** The character classes of RFC 9110 §5.6 that the parser checks against. */
public final class Tokens {
    private static final boolean[] TCHAR = new boolean[128];
    private static final boolean[] HOST = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = HOST[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = HOST[c] = true;
            TCHAR[Character.toUpperCase(c)] = HOST[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    private Tokens() {}

    public static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** field-value: visible characters, obs-text, and single spaces or tabs inside. */
    public static boolean isFieldValue(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    public static boolean isHost(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || !HOST[c]) {
                return false;
            }
        }
        return true;
    }

    /** The text after {@code from} without optional whitespace (SP, HTAB) on either side. */
    public static String trimOws(String line, int from) {
        int start = from;
        int end = line.length();
        while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(start, end);
    }
}
