package dev.sprox.dash;

/**
 * Expands a SegmentTemplate (ISO/IEC 23009-1 §5.3.9.4.4): {@code $RepresentationID$}, {@code $Number$},
 * {@code $Time$}, {@code $Bandwidth$}, each optionally with a {@code %0Nd} width, and {@code $$}. Used only to
 * list segments for HLS; a rewritten MPD keeps its templates.
 */
final class SegmentTemplateText {
    private SegmentTemplateText() {}

    static String expand(String template, String representationId, long bandwidth, long number, long time) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int pos = 0;
        while (pos < template.length()) {
            int open = template.indexOf('$', pos);
            int close = open < 0 ? -1 : template.indexOf('$', open + 1);
            if (close < 0) {
                out.append(template, pos, template.length());
                break;
            }
            out.append(template, pos, open);
            String identifier = template.substring(open + 1, close);
            int percent = identifier.indexOf('%');
            String name = percent < 0 ? identifier : identifier.substring(0, percent);
            String value = switch (name) {
                case "" -> "$";
                case "RepresentationID" -> representationId;
                case "Number" -> formatted(number, identifier, percent);
                case "Time" -> formatted(time, identifier, percent);
                case "Bandwidth" -> formatted(bandwidth, identifier, percent);
                default -> null;
            };
            if (value == null) { // not an identifier: the '$' is literal text
                out.append('$');
                pos = open + 1;
            } else {
                out.append(value);
                pos = close + 1;
            }
        }
        return out.toString();
    }

    /** {@code %0Nd}: at least N digits, zero-padded. */
    private static String formatted(long value, String identifier, int percent) {
        String digits = Long.toString(value);
        if (percent < 0) {
            return digits;
        }
        String format = identifier.substring(percent + 1);
        int width = 0;
        if (format.length() >= 3 && format.charAt(0) == '0' && format.endsWith("d")) {
            try {
                width = Integer.parseInt(format.substring(1, format.length() - 1));
            } catch (NumberFormatException e) {
                width = 0;
            }
        }
        width = Math.min(width, 64);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
