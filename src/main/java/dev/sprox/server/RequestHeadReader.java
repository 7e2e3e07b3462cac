package dev.sprox.server;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.RequestTarget;
import dev.sprox.http.Tokens;
import java.io.IOException;

/**
 * Reads a request line and header section strictly by RFC 9112. Whatever a lenient parser elsewhere might
 * read differently is refused: obs-fold, whitespace before the colon, control characters, bare CR or LF.
 */
final class RequestHeadReader {
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    private RequestHeadReader() {}

    static RequestHead read(ConnectionInput in, ServerSettings limits) throws IOException {
        String requestLine = in.readLine(limits.maxRequestLineBytes(), RequestError.URI_TOO_LONG, "request line");
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
        for (int i = 0; requestLine.isEmpty(); i++) {
            if (i == MAX_LEADING_EMPTY_LINES) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "empty request line");
            }
            requestLine = in.readLine(limits.maxRequestLineBytes(), RequestError.URI_TOO_LONG, "request line");
        }
        int firstSpace = requestLine.indexOf(' ');
        int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "malformed request line");
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, lastSpace);
        String version = requestLine.substring(lastSpace + 1);
        if (!Tokens.isToken(method)) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "malformed method");
        }
        checkVersion(version);
        RequestTarget parsedTarget = RequestTarget.parse(target, method);
        Headers headers = readFields(in, limits, limits.maxHeaderBytes() - requestLine.length());
        var head = new RequestHead(method, parsedTarget, version, headers);
        checkHost(head);
        return head;
    }

    /** Reads header fields (or chunked trailer fields) up to the empty line, within {@code budget} bytes. */
    static Headers readFields(ConnectionInput in, ServerSettings limits, int budget) throws IOException {
        var headers = Headers.builder();
        int remaining = budget;
        int count = 0;
        while (true) {
            String line = in.readLine(Math.max(0, remaining), RequestError.HEADERS_TOO_LARGE, "header section");
            if (line.isEmpty()) {
                return headers.build();
            }
            remaining -= line.length() + 2;
            if (++count > limits.maxHeaderCount()) {
                throw new RequestRejected(RequestError.HEADERS_TOO_LARGE, "too many header fields");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "obsolete line folding is not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "header field without a name");
            }
            String name = line.substring(0, colon);
            if (!Tokens.isToken(name)) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "invalid header field name");
            }
            String value = Tokens.trimOws(line, colon + 1);
            if (!Tokens.isFieldValue(value)) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "invalid character in header " + name);
            }
            headers.add(name, value);
        }
    }

    private static void checkVersion(String version) {
        if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
            return;
        }
        if (version.matches("HTTP/[0-9]\\.[0-9]")) {
            throw new RequestRejected(RequestError.UNSUPPORTED_VERSION, "only HTTP/1.1 and HTTP/1.0 are served");
        }
        throw new RequestRejected(RequestError.MALFORMED_REQUEST, "malformed HTTP version");
    }

    /** RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host; any request at most one. */
    private static void checkHost(RequestHead head) {
        var hosts = head.headers().all("Host");
        if (hosts.size() > 1 || (hosts.isEmpty() && head.isHttp11())) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST,
                    hosts.isEmpty() ? "missing Host header" : "more than one Host header");
        }
        if (!hosts.isEmpty() && !Tokens.isHost(hosts.getFirst())) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "malformed Host header");
        }
    }
}
