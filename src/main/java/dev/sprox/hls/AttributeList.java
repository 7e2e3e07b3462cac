package dev.sprox.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * Locates the attributes of an RFC 8216 §4.2 attribute-list inside a line, without copying: names and values
 * are spans of the playlist text, so a rewrite can replace one value and keep every other byte.
 * Lenient where leniency is harmless (blanks around names and '=', attributes without '='), strict where it
 * is not: a quoted-string must be closed on its line, or no later attribute can be located reliably.
 */
final class AttributeList {

    /** One attribute; a quoted value's span excludes the quotes. */
    record Attribute(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean quoted) {

        boolean isNamed(String text, String name) {
            return nameEnd - nameStart == name.length() && text.startsWith(name, nameStart);
        }

        String name(String text) {
            return text.substring(nameStart, nameEnd);
        }

        String value(String text) {
            return text.substring(valueStart, valueEnd);
        }
    }

    private AttributeList() {}

    /** Parses {@code text[start, end)}, the part of a tag line after its ':'. */
    static List<Attribute> parse(String text, int start, int end, int line) throws PlaylistException {
        List<Attribute> attributes = new ArrayList<>(4);
        int i = start;
        while (i < end) {
            i = skipBlanks(text, i, end);
            int nameStart = i;
            while (i < end && text.charAt(i) != '=' && text.charAt(i) != ',') {
                i++;
            }
            int nameEnd = trimEnd(text, nameStart, i);
            if (i == end || text.charAt(i) == ',') {
                i++; // a bare word (or an empty item between commas) carries no value to locate
                continue;
            }
            i = skipBlanks(text, i + 1, end);
            if (i < end && text.charAt(i) == '"') {
                int close = text.indexOf('"', i + 1);
                if (close < 0 || close >= end) {
                    throw new PlaylistException(line, "unterminated quoted string in attribute "
                            + text.substring(nameStart, nameEnd));
                }
                attributes.add(new Attribute(nameStart, nameEnd, i + 1, close, true));
                i = close + 1;
                while (i < end && text.charAt(i) != ',') {
                    i++; // stray text after a closing quote is kept as it is
                }
            } else {
                int valueStart = i;
                while (i < end && text.charAt(i) != ',') {
                    i++;
                }
                attributes.add(new Attribute(nameStart, nameEnd, valueStart, trimEnd(text, valueStart, i), false));
            }
            i++;
        }
        return attributes;
    }

    /** The value of the first attribute with this name, or null. */
    static String valueOf(List<Attribute> attributes, String text, String name) {
        for (Attribute attribute : attributes) {
            if (attribute.isNamed(text, name)) {
                return attribute.value(text);
            }
        }
        return null;
    }

    private static int skipBlanks(String text, int i, int end) {
        while (i < end && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
