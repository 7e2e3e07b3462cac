package dev.sprox.direct;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The filename of {@code /proxy/stream/{filename}}, made safe for {@code Content-Disposition}: no quotes,
 * backslashes, path separators or control characters (CR and LF would split the header), no leading dots, at
 * most {@link #MAX_CHARS} characters. A name beyond ASCII goes in {@code filename*} (RFC 6266 §4.3, RFC 8187)
 * with an ASCII stand-in in {@code filename} for old clients.
 *
 * @param name the sanitised name, never empty
 */
record Filename(String name) {
    static final int MAX_CHARS = 200;
    /** RFC 8187 attr-char: what may stand unencoded in {@code filename*}. */
    private static final String ATTR_PUNCTUATION = "!#$&+-.^_`|~";

    /** The sanitised name, or empty when nothing usable is left of {@code requested}. */
    static Optional<Filename> of(String requested) {
        var kept = new StringBuilder(Math.min(requested.length(), MAX_CHARS));
        requested.codePoints().forEach(c -> {
            if (!(Character.isISOControl(c) || c == '"' || c == '\\' || c == '/' || Character.getType(c) == Character.FORMAT)
                    && kept.length() < MAX_CHARS) {
                kept.appendCodePoint(c);
            }
        });
        String name = kept.toString().strip();
        int start = 0;
        while (start < name.length() && name.charAt(start) == '.') {
            start++;
        }
        name = name.substring(start).strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(new Filename(name));
    }

    /** The extension after the last dot, lower-case; empty when there is none. */
    String extension() {
        return Filename.extensionOf(name);
    }

    static String extensionOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code inline}: players and browsers play the stream; the name is what "save as" offers. */
    String contentDisposition() {
        boolean ascii = name.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        if (ascii) {
            return "inline; filename=\"" + name + "\"";
        }
        var fallback = new StringBuilder(name.length());
        name.codePoints().forEach(c -> fallback.append(c >= 0x20 && c < 0x7F ? (char) c : '_'));
        return "inline; filename=\"" + fallback + "\"; filename*=UTF-8''" + percentEncoded();
    }

    private String percentEncoded() {
        var out = new StringBuilder(name.length() * 3);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ATTR_PUNCTUATION.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
