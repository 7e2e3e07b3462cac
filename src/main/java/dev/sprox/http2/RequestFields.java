package dev.sprox.http2;

import static dev.sprox.http2.ErrorCode.PROTOCOL_ERROR;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.RequestTarget;
import dev.sprox.http.Tokens;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns the decoded header list of a request stream into the same {@link RequestHead} the HTTP/1.1 reader builds,
 * so no handler knows which version carried it. What RFC 9113 §8.1.1 calls malformed is a stream error
 * (PROTOCOL_ERROR); what would be a bad HTTP/1.1 request too (a target outside the grammar, no host) is a
 * {@link RequestRejected}, answered with the same status as there.
 */
final class RequestFields {
    /** The version a head carries when it came over HTTP/2. */
    static final String VERSION = "HTTP/2";

    /** §8.2.2: connection-specific fields have no meaning in HTTP/2; a request carrying one is malformed. */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    private RequestFields() {}

    /** What a request's header block said: its head, and the content length it declared, if any. */
    record Mapped(RequestHead head, OptionalLong contentLength) {}

    static Mapped request(int streamId, List<HeaderField> fields, int maxHeaderCount) throws Http2Exception {
        String method = null;
        String scheme = null;
        String path = null;
        String authority = null;
        boolean regularSeen = false;
        var headers = Headers.builder();
        StringBuilder cookies = null;
        int count = 0;
        for (HeaderField field : fields) {
            String name = field.name();
            if (name.startsWith(":")) {
                // §8.3: pseudo-header fields come first, each once, and only the four a request defines.
                if (regularSeen) {
                    throw malformed(streamId, "pseudo-header " + name + " after a regular field");
                }
                switch (name) {
                    case ":method" -> method = once(streamId, name, method, field.value());
                    case ":scheme" -> scheme = once(streamId, name, scheme, field.value());
                    case ":path" -> path = once(streamId, name, path, field.value());
                    case ":authority" -> authority = once(streamId, name, authority, field.value());
                    default -> throw malformed(streamId, "unknown or response pseudo-header " + name);
                }
                continue;
            }
            regularSeen = true;
            checkRegular(streamId, field);
            if (++count > maxHeaderCount) {
                throw new RequestRejected(RequestError.HEADERS_TOO_LARGE, "too many header fields");
            }
            if (name.equals("cookie")) {
                // §8.2.3: a client may split cookies into several fields; origins expect one, joined by "; ".
                cookies = cookies == null ? new StringBuilder(field.value()) : cookies.append("; ").append(field.value());
            } else {
                headers.add(name, field.value());
            }
        }
        if (cookies != null) {
            headers.add("cookie", cookies.toString());
        }
        if (method == null) {
            throw malformed(streamId, "no :method");
        }
        if (method.equals("CONNECT")) {
            // §8.5: CONNECT names a tunnel, which sprox never opens.
            throw new RequestRejected(RequestError.METHOD_NOT_ALLOWED, "CONNECT is not served");
        }
        if (scheme == null || path == null) {
            throw malformed(streamId, "a request needs :method, :scheme and :path");
        }
        if (path.isEmpty()) {
            throw malformed(streamId, "empty :path"); // §8.3.1
        }
        if (!Tokens.isToken(method)) {
            throw malformed(streamId, "malformed :method");
        }
        Headers regular = headers.build();
        return new Mapped(new RequestHead(method, RequestTarget.parse(path, method), VERSION,
                withHost(streamId, regular, authority)), contentLength(streamId, regular));
    }

    /** §8.3.1: {@code :authority} is what HTTP/1.1 carries as Host; routes match on Host alone. */
    private static Headers withHost(int streamId, Headers headers, String authority) throws Http2Exception {
        List<String> hosts = headers.all("host");
        if (hosts.size() > 1) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "more than one Host header");
        }
        if (authority == null) {
            if (hosts.isEmpty()) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "neither :authority nor Host");
            }
            authority = hosts.getFirst();
        } else if (!hosts.isEmpty() && !hosts.getFirst().equalsIgnoreCase(authority)) {
            throw malformed(streamId, "Host differs from :authority");
        }
        if (authority.isEmpty() || authority.contains("@") || !Tokens.isHost(authority)) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "malformed :authority");
        }
        var builder = Headers.builder().add("Host", authority);
        for (Headers.Field field : headers.fields()) {
            if (!field.name().equals("host")) {
                builder.add(field.name(), field.value());
            }
        }
        return builder.build();
    }

    private static OptionalLong contentLength(int streamId, Headers headers) throws Http2Exception {
        List<String> values = headers.all("content-length");
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        String first = values.getFirst();
        for (String value : values) {
            if (!value.equals(first) || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
                throw malformed(streamId, "invalid content-length");
            }
        }
        return OptionalLong.of(Long.parseLong(first));
    }

    /** The fields of a trailer section: §8.1, no pseudo-header fields, and the same rules as any field. */
    static void checkTrailers(int streamId, List<HeaderField> fields) throws Http2Exception {
        for (HeaderField field : fields) {
            if (field.name().startsWith(":")) {
                throw malformed(streamId, "pseudo-header in trailers");
            }
            checkRegular(streamId, field);
        }
    }

    /** §8.2.1, §8.2.2: lower-case token names, values without CR, LF or NUL, no connection-specific fields. */
    private static void checkRegular(int streamId, HeaderField field) throws Http2Exception {
        String name = field.name();
        if (name.isEmpty() || !Tokens.isToken(name) || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw malformed(streamId, "invalid field name");
        }
        if (CONNECTION_SPECIFIC.contains(name)) {
            throw malformed(streamId, "connection-specific field " + name);
        }
        if (name.equals("te") && !field.value().equals("trailers")) {
            throw malformed(streamId, "te other than trailers");
        }
        String value = field.value();
        if (!Tokens.isFieldValue(value) || !value.isEmpty() && (isSpace(value.charAt(0))
                || isSpace(value.charAt(value.length() - 1)))) {
            throw malformed(streamId, "invalid value in " + name);
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static String once(int streamId, String name, String seen, String value) throws Http2Exception {
        if (seen != null) {
            throw malformed(streamId, "pseudo-header " + name + " more than once");
        }
        return value;
    }

    private static Http2Exception malformed(int streamId, String message) {
        return Http2Exception.stream(PROTOCOL_ERROR, streamId, "malformed request: " + message);
    }
}
