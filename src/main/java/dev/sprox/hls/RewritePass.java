package dev.sprox.hls;

import java.net.URI;
import java.util.List;

/**
 * One walk over a playlist, line by line, splicing mapped URIs into a copy. Text between URIs is copied in
 * bulk and never reinterpreted, which is what keeps every other byte (line endings, blanks, comments,
 * unknown tags) as it was.
 */
final class RewritePass {

    private final String text;
    private final UriMapper mapper;
    private final RewriteOptions options;
    private final UriResolver resolver;
    private final Variables variables;

    /** Created on the first replacement; until then the output is the input. */
    private StringBuilder out;
    /** text[0, copiedUpTo) is already in out. */
    private int copiedUpTo;
    /** What the next URI line is: a variant playlist after EXT-X-STREAM-INF, otherwise a media segment. */
    private ResourceKind nextUriLineKind = ResourceKind.SEGMENT;
    private int lineNumber;

    RewritePass(String text, URI playlistUrl, UriMapper mapper, RewriteOptions options) {
        this.text = text;
        this.mapper = mapper;
        this.options = options;
        this.resolver = new UriResolver(playlistUrl);
        this.variables = new Variables(options.importedVariables(), resolver.query());
    }

    String run() throws PlaylistException {
        int length = text.length();
        if (length > options.maxChars()) {
            throw PlaylistException.overLimit(0, "playlist is " + length + " chars, over the limit of " + options.maxChars());
        }
        int position = text.startsWith("\uFEFF") ? 1 : 0; // a leading BOM is kept, and ignored when looking for #EXTM3U
        if (position == length) {
            throw new PlaylistException(1, "empty playlist: the first line must be #EXTM3U");
        }
        while (position < length) {
            lineNumber++;
            int lineFeed = text.indexOf('\n', position);
            int next = lineFeed < 0 ? length : lineFeed + 1;
            int end = lineFeed < 0 ? length : lineFeed > position && text.charAt(lineFeed - 1) == '\r' ? lineFeed - 1 : lineFeed;
            requirePlainText(position, end);
            if (lineNumber == 1) {
                requireHeader(position, end);
            } else {
                rewriteLine(position, end);
            }
            position = next;
        }
        if (out == null) {
            return text;
        }
        requireOutputWithin(out.length() + (long) (length - copiedUpTo));
        return out.append(text, copiedUpTo, length).toString();
    }

    /**
     * Checked after every splice, not once at the end: one line of a few bytes can become a URL of tens of
     * kilobytes (a variable holding 16 000 characters, each percent-encoded by the mapper), and a few MiB of such
     * lines would be tens of GB before any end-of-pass check ran.
     */
    private void requireOutputWithin(long chars) throws PlaylistException {
        if (chars > options.maxOutputChars()) {
            throw PlaylistException.overLimit(lineNumber, "rewritten playlist would be over the limit of "
                    + options.maxOutputChars() + " chars");
        }
    }

    private void requirePlainText(int start, int end) throws PlaylistException {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isForbiddenControl(c)) {
                String what = switch (c) {
                    case '\0' -> "NUL character (binary content?)";
                    case '\r' -> "carriage return not followed by a line feed";
                    default -> String.format("control character U+%04X", (int) c);
                };
                throw new PlaylistException(lineNumber, what + " at column " + (i - start + 1));
            }
        }
    }

    /** RFC 8216 §4.1's control characters (CR and LF end lines), except TAB, which real playlists use as a blank. */
    private static boolean isForbiddenControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    }

    /** §4.3.1.1: #EXTM3U is the first line; anything after a blank on that line is tolerated, as players do. */
    private void requireHeader(int start, int end) throws PlaylistException {
        int after = start + "#EXTM3U".length();
        if (!text.startsWith("#EXTM3U", start) || (after < end && !AttributeList.isBlank(text.charAt(after)))) {
            throw new PlaylistException(1, "the first line must be #EXTM3U, found \""
                    + Abbreviation.of(text.substring(start, end)) + "\"");
        }
    }

    /** Lines are classified after leading blanks, so a tag or URI indented by a sloppy packager is still found. */
    private void rewriteLine(int start, int end) throws PlaylistException {
        int first = start;
        while (first < end && AttributeList.isBlank(text.charAt(first))) {
            first++;
        }
        if (first == end) {
            return;
        }
        if (text.charAt(first) != '#') {
            int uriEnd = end;
            while (AttributeList.isBlank(text.charAt(uriEnd - 1))) {
                uriEnd--;
            }
            ResourceKind kind = nextUriLineKind;
            nextUriLineKind = ResourceKind.SEGMENT;
            rewriteUri(first, uriEnd, kind, false);
        } else if (text.startsWith("EXT", first + 1)) {
            rewriteTag(first + 1, end);
        }
    }

    private void rewriteTag(int nameStart, int end) throws PlaylistException {
        int nameEnd = nameStart;
        while (nameEnd < end && text.charAt(nameEnd) != ':') {
            nameEnd++;
        }
        // EXTINF is half the lines of a media playlist: recognise it without allocating its name
        if (nameEnd - nameStart == 6 && text.startsWith("EXTINF", nameStart)) {
            nextUriLineKind = ResourceKind.SEGMENT;
            return;
        }
        String name = text.substring(nameStart, nameEnd);
        switch (name) {
            case "EXT-X-STREAM-INF" -> nextUriLineKind = ResourceKind.PLAYLIST;
            case "EXT-X-DEFINE" -> define(nameStart - 1, nameEnd + 1, end);
            default -> {
                UriTag tag = UriTag.named(name);
                if (tag != null) {
                    rewriteAttributes(tag, nameEnd + 1, end);
                }
            }
        }
    }

    /**
     * A QUERYPARAM definition names a parameter of the URL the client fetched the playlist from. When that URL is
     * not the playlist's own (options say so), the client cannot find it there: it gets the value found here.
     */
    private void define(int lineStart, int attributesStart, int end) throws PlaylistException {
        List<AttributeList.Attribute> attributes = AttributeList.parse(text, attributesStart, end, lineNumber);
        String fromQuery = variables.define(attributes, text, lineNumber);
        if (fromQuery == null || !options.inlineQueryParameters()) {
            return;
        }
        String value = variables.valueOf(fromQuery, lineNumber);
        // The URL's raw query is URI text, which holds no quote, CR or LF; a quoted-string may hold nothing else.
        if (value.indexOf('"') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new PlaylistException(lineNumber, "query parameter \"" + fromQuery
                    + "\" cannot stand in a quoted-string");
        }
        splice(lineStart, end, "#EXT-X-DEFINE:NAME=\"" + fromQuery + "\",VALUE=\"" + value + "\"");
    }

    /** Every URI attribute is rewritten, duplicates included: whichever one a client picks must not leak upstream. */
    private void rewriteAttributes(UriTag tag, int start, int end) throws PlaylistException {
        List<AttributeList.Attribute> attributes = AttributeList.parse(text, start, end, lineNumber);
        for (AttributeList.Attribute attribute : attributes) {
            ResourceKind kind = tag.kindOf(attribute, attributes, text);
            if (kind == null) {
                continue;
            }
            if (!attribute.quoted()) {
                throw new PlaylistException(lineNumber, tag.tagName() + " " + attribute.name(text)
                        + " must be a quoted-string (RFC 8216 §4.2)");
            }
            rewriteUri(attribute.valueStart(), attribute.valueEnd(), kind, true);
        }
    }

    private void rewriteUri(int start, int end, ResourceKind kind, boolean quoted) throws PlaylistException {
        int maxUriChars = options.maxUriChars();
        if (end - start > maxUriChars) {
            throw new PlaylistException(lineNumber, "URI longer than " + maxUriChars + " chars");
        }
        String written = text.substring(start, end);
        String resolved = resolver.resolve(variables.substitute(written, lineNumber, maxUriChars), lineNumber);
        if (resolved == null) {
            return;
        }
        String replacement = mapper.map(new PlaylistUri(kind, resolved, written, lineNumber));
        requireSplicable(replacement, quoted);
        splice(start, end, replacement);
    }

    /** text[start, end) is replaced by {@code replacement} in the output. */
    private void splice(int start, int end, String replacement) throws PlaylistException {
        if (out == null) {
            out = new StringBuilder((int) Math.min(2L * text.length() + 256, options.maxOutputChars()));
        }
        requireOutputWithin(out.length() + (long) (start - copiedUpTo) + replacement.length());
        out.append(text, copiedUpTo, start).append(replacement);
        copiedUpTo = end;
    }

    /** A mapper's text must not end the quoted-string or the line it is put in: that would corrupt the playlist. */
    private void requireSplicable(String replacement, boolean quoted) {
        if (replacement == null) {
            throw new IllegalArgumentException("UriMapper returned null for line " + lineNumber);
        }
        boolean splicable = replacement.indexOf('\n') < 0 && replacement.indexOf('\r') < 0;
        if (quoted) {
            splicable &= replacement.indexOf('"') < 0;
        } else {
            // a URI line must stay a URI line: not blank, not a comment or tag once its blanks are skipped
            int first = 0;
            while (first < replacement.length() && AttributeList.isBlank(replacement.charAt(first))) {
                first++;
            }
            splicable &= first < replacement.length() && replacement.charAt(first) != '#';
        }
        if (!splicable) {
            throw new IllegalArgumentException("UriMapper returned text that cannot stand " + (quoted ? "in a quoted-string" : "as a URI line")
                    + " (line " + lineNumber + "): " + Abbreviation.of(replacement));
        }
    }
}
