package dev.sprox.hls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * EXT-X-DEFINE variables (RFC 8216bis §4.4.2.3) and their substitution into URIs, so the mapper sees the URI
 * a client would fetch. A variable that cannot be known here (an IMPORT the caller did not supply, a
 * QUERYPARAM absent from the playlist URL) fails only when a URI actually refers to it.
 */
final class Variables {

    private final Map<String, String> imported;
    private final String playlistQuery;
    private final Map<String, String> values = new HashMap<>();
    /** Name → why its value is unknown here. */
    private final Map<String, String> unavailable = new HashMap<>();

    Variables(Map<String, String> imported, String playlistQuery) {
        this.imported = imported;
        this.playlistQuery = playlistQuery;
    }

    /** @return the variable's name when its value comes from a query parameter (QUERYPARAM), else null */
    String define(List<AttributeList.Attribute> attributes, String text, int line) throws PlaylistException {
        String name = AttributeList.valueOf(attributes, text, "NAME");
        String imports = AttributeList.valueOf(attributes, text, "IMPORT");
        String queryParameter = AttributeList.valueOf(attributes, text, "QUERYPARAM");
        if (name != null) {
            String value = AttributeList.valueOf(attributes, text, "VALUE");
            if (value == null) {
                throw new PlaylistException(line, "EXT-X-DEFINE NAME=\"" + Abbreviation.of(name) + "\" has no VALUE");
            }
            add(name, value, null, line);
            return null;
        }
        if (imports != null) {
            add(imports, imported.get(imports), "variable \"" + imports
                    + "\" is IMPORTed from the multivariant playlist, but its value was not supplied", line);
            return null;
        }
        if (queryParameter != null) {
            add(queryParameter, queryParameterValue(queryParameter), "variable \"" + queryParameter
                    + "\" comes from a query parameter the playlist URL does not have", line);
            return queryParameter;
        }
        throw new PlaylistException(line, "EXT-X-DEFINE needs NAME, IMPORT or QUERYPARAM");
    }

    /** Replaces every {$name} of a URI; text without "{$" is returned as it is. */
    String substitute(String uri, int line, int maxChars) throws PlaylistException {
        int reference = uri.indexOf("{$");
        if (reference < 0) {
            return uri;
        }
        StringBuilder result = new StringBuilder(uri.length() + 32);
        int copied = 0;
        while (reference >= 0) {
            int nameEnd = nameEnd(uri, reference + 2);
            if (nameEnd > reference + 2 && nameEnd < uri.length() && uri.charAt(nameEnd) == '}') {
                String name = uri.substring(reference + 2, nameEnd);
                result.append(uri, copied, reference).append(valueOf(name, line));
                copied = nameEnd + 1;
                if (result.length() > maxChars) {
                    throw new PlaylistException(line, "URI longer than " + maxChars + " chars after variable substitution");
                }
            }
            reference = uri.indexOf("{$", Math.max(copied, reference + 2));
        }
        return result.append(uri, copied, uri.length()).toString();
    }

    /** The variable's value; why it has none, as the exception's reason. */
    String valueOf(String name, int line) throws PlaylistException {
        String value = values.get(name);
        if (value != null) {
            return value;
        }
        String why = unavailable.get(name);
        throw new PlaylistException(line, why != null ? why : "variable \"" + name + "\" is used before any EXT-X-DEFINE of it");
    }

    private void add(String name, String value, String whyUnavailable, int line) throws PlaylistException {
        if (nameEnd(name, 0) != name.length() || name.isEmpty()) {
            throw new PlaylistException(line, "invalid variable name \"" + Abbreviation.of(name) + "\" (allowed: A-Z a-z 0-9 - _)");
        }
        if (values.containsKey(name) || unavailable.containsKey(name)) {
            throw new PlaylistException(line, "variable \"" + name + "\" is defined twice");
        }
        if (value != null) {
            values.put(name, value);
        } else {
            unavailable.put(name, whyUnavailable);
        }
    }

    /** The raw (still percent-encoded) value, so it can stand in a URI as it stood in the playlist URL. */
    private String queryParameterValue(String name) {
        if (playlistQuery == null) {
            return null;
        }
        int start = 0;
        while (start <= playlistQuery.length()) {
            int end = playlistQuery.indexOf('&', start);
            end = end < 0 ? playlistQuery.length() : end;
            if (playlistQuery.startsWith(name, start)) {
                int after = start + name.length();
                if (after == end) {
                    return "";
                }
                if (playlistQuery.charAt(after) == '=') {
                    return playlistQuery.substring(after + 1, end);
                }
            }
            start = end + 1;
        }
        return null;
    }

    /** §4.2 variable names: [a-zA-Z0-9-_]. */
    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                break;
            }
            i++;
        }
        return i;
    }
}
