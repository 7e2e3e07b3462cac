package dev.sprox.http;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range} of one byte range (RFC 9110 §14.4): {@code bytes first-last/total}, the total unknown when
 * the origin writes {@code *}.
 */
public record ContentRange(long first, long last, OptionalLong total) {
    private static final Pattern BYTES = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)",
            Pattern.CASE_INSENSITIVE);

    /** The range {@code value} names, if it is a well-formed byte range. */
    public static Optional<ContentRange> parse(String value) {
        Matcher m = BYTES.matcher(value.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        OptionalLong total = m.group(3).equals("*")
                ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(3)));
        return first <= last ? Optional.of(new ContentRange(first, last, total)) : Optional.empty();
    }

    public long length() {
        return last - first + 1;
    }

    /** Whether it is the whole representation: from its first byte to its last. */
    public boolean isWhole() {
        return first == 0 && total.isPresent() && last + 1 == total.getAsLong();
    }

    @Override
    public String toString() {
        return "bytes " + first + "-" + last + "/" + (total.isPresent() ? Long.toString(total.getAsLong()) : "*");
    }
}
