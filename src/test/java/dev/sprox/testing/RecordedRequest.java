package dev.sprox.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request as {@link MockOrigin} received it: the request line and each header line unparsed, the body
 * de-chunked, and where it came: the connection's number (from 1, in accept order) and the request's number on
 * that connection (from 1).
 */
public record RecordedRequest(int connection, int sequence, String requestLine, List<String> headerLines,
                              byte[] body) {

    public RecordedRequest {
        headerLines = List.copyOf(headerLines);
    }

    public String method() {
        return requestLine.split(" ", 2)[0];
    }

    /** The request target exactly as sent: path and query, still percent-encoded. */
    public String target() {
        return requestLine.split(" ")[1];
    }

    public String path() {
        String target = target();
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    public Optional<String> query() {
        String target = target();
        int query = target.indexOf('?');
        return query < 0 ? Optional.empty() : Optional.of(target.substring(query + 1));
    }

    /** Every value of the header {@code name}, one per line it came on, in order. */
    public List<String> headers(String name) {
        var values = new ArrayList<String>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (line.substring(0, colon).equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).strip());
            }
        }
        return values;
    }

    /** The header's values joined with ", ", as a single field would carry them. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    /** The header names in the order they came, lower-cased. */
    public List<String> names() {
        return headerLines.stream().map(l -> l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT)).toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** True when {@code pathOrTarget} names this request: the whole target if it has a query, else the path. */
    public boolean matches(String pathOrTarget) {
        return pathOrTarget.indexOf('?') >= 0 ? target().equals(pathOrTarget) : path().equals(pathOrTarget);
    }

    @Override
    public String toString() {
        return "#" + connection + "." + sequence + " " + requestLine;
    }
}
