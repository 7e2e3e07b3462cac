package dev.sprox.dash;

/**
 * Character data of a well-formed, DOCTYPE-free document: only the five predefined entities and character
 * references can occur (XML 1.0 §4.6), so that is all that is decoded, and all that escaping needs.
 */
final class XmlText {
    private XmlText() {}

    /**
     * Decodes text[start, end) holding no markup. Inside an attribute, literal tabs and line breaks read as
     * spaces (§3.3.3 attribute-value normalisation); references to them do not.
     */
    static String decode(String text, int start, int end, boolean attribute) {
        if (isPlain(text, start, end, attribute)) {
            return text.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '&') {
                int semicolon = text.indexOf(';', i);
                out.append(reference(text.substring(i + 1, semicolon)));
                i = semicolon;
            } else if (attribute && (c == '\t' || c == '\n' || c == '\r')) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether text[start, end) reads as itself: no reference, and in an attribute no blank to normalise. */
    private static boolean isPlain(String text, int start, int end, boolean attribute) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '&' || attribute && (c == '\t' || c == '\n' || c == '\r')) {
                return false;
            }
        }
        return true;
    }

    /** The character data of an element's content: text and CDATA, without child elements, comments or PIs. */
    static String content(String text, int start, int end) {
        int lt = text.indexOf('<', start);
        if (lt < 0 || lt >= end) {
            return decode(text, start, end, false);
        }
        StringBuilder out = new StringBuilder(end - start);
        int pos = start;
        while (pos < end) {
            lt = text.indexOf('<', pos);
            if (lt < 0 || lt >= end) {
                out.append(decode(text, pos, end, false));
                break;
            }
            out.append(decode(text, pos, lt, false));
            if (text.startsWith("<![CDATA[", lt)) {
                int close = text.indexOf("]]>", lt);
                out.append(text, lt + 9, close);
                pos = close + 3;
            } else if (text.startsWith("<!--", lt)) {
                pos = text.indexOf("-->", lt) + 3;
            } else if (text.startsWith("<?", lt)) {
                pos = text.indexOf("?>", lt) + 2;
            } else {
                pos = text.indexOf('>', lt) + 1; // a child element's tags; its text is not ours
            }
        }
        return out.toString();
    }

    /** Text safe inside an attribute delimited by {@code quote}, or inside element content when quote is 0. */
    static String escape(String value, char quote) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> quote == '"' ? "&quot;" : null;
                case '\'' -> quote == '\'' ? "&apos;" : null;
                case '\t' -> "&#9;";
                case '\n' -> "&#10;";
                case '\r' -> "&#13;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    private static String reference(String name) {
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> Character.toString(name.charAt(1) == 'x' || name.charAt(1) == 'X'
                    ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1)));
        };
    }
}
