package dev.sprox.http2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** RFC 7541 Appendix A: the 61 entries every HPACK context starts with, indexed from 1. */
final class StaticTable {

    static final List<HeaderField> ENTRIES = List.of(
            field(":authority", ""), field(":method", "GET"), field(":method", "POST"), field(":path", "/"),
            field(":path", "/index.html"), field(":scheme", "http"), field(":scheme", "https"), field(":status", "200"),
            field(":status", "204"), field(":status", "206"), field(":status", "304"), field(":status", "400"),
            field(":status", "404"), field(":status", "500"), field("accept-charset", ""), field("accept-encoding", "gzip, deflate"),
            field("accept-language", ""), field("accept-ranges", ""), field("accept", ""), field("access-control-allow-origin", ""),
            field("age", ""), field("allow", ""), field("authorization", ""), field("cache-control", ""),
            field("content-disposition", ""), field("content-encoding", ""), field("content-language", ""),
            field("content-length", ""), field("content-location", ""), field("content-range", ""), field("content-type", ""),
            field("cookie", ""), field("date", ""), field("etag", ""), field("expect", ""), field("expires", ""), field("from", ""),
            field("host", ""), field("if-match", ""), field("if-modified-since", ""), field("if-none-match", ""),
            field("if-range", ""), field("if-unmodified-since", ""), field("last-modified", ""), field("link", ""),
            field("location", ""), field("max-forwards", ""), field("proxy-authenticate", ""), field("proxy-authorization", ""),
            field("range", ""), field("referer", ""), field("refresh", ""), field("retry-after", ""), field("server", ""),
            field("set-cookie", ""), field("strict-transport-security", ""), field("transfer-encoding", ""),
            field("user-agent", ""), field("vary", ""), field("via", ""), field("www-authenticate", ""));

    private static final Map<HeaderField, Integer> BY_FIELD = new HashMap<>();
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        for (int i = 0; i < ENTRIES.size(); i++) {
            BY_FIELD.putIfAbsent(ENTRIES.get(i), i + 1);
            BY_NAME.putIfAbsent(ENTRIES.get(i).name(), i + 1);
        }
    }

    private StaticTable() {}

    static int size() {
        return ENTRIES.size();
    }

    /** The entry at 1-based {@code index}, which the caller has checked is at most {@link #size()}. */
    static HeaderField get(int index) {
        return ENTRIES.get(index - 1);
    }

    /** The index of an entry with this name and value, or 0. */
    static int indexOf(HeaderField field) {
        return BY_FIELD.getOrDefault(field, 0);
    }

    /** The lowest index of an entry with this name, or 0. */
    static int indexOfName(String name) {
        return BY_NAME.getOrDefault(name, 0);
    }

    private static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }
}
