package dev.sprox.http2;

import dev.sprox.http.Headers;
import dev.sprox.http.HttpDate;
import dev.sprox.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header block of a response (RFC 9113 §8.3.2): {@code :status}, the fields the server always sets, then the
 * handler's fields with lower-case names. Framing and connection-specific fields are the server's alone, as on
 * HTTP/1.1, and have no place in HTTP/2 at all (§8.2.2): a response carrying one is malformed to the client.
 */
final class ResponseFields {
    private static final Set<String> SERVER_ONLY = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "proxy-connection", "upgrade", "te", "date", "server", "x-content-type-options");

    private ResponseFields() {}

    /** @param contentLength the body length to declare, or -1 for none */
    static List<HeaderField> of(Response response, long contentLength) {
        Headers headers = response.headers();
        var fields = new ArrayList<HeaderField>(headers.size() + 5);
        fields.add(new HeaderField(":status", Integer.toString(response.status())));
        fields.add(new HeaderField("date", HttpDate.now()));
        fields.add(new HeaderField("server", "sprox"));
        // nosniff on every answer, as on HTTP/1.1: a browser must never run a proxied body as script.
        fields.add(new HeaderField("x-content-type-options", "nosniff"));
        for (Headers.Field field : headers.fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (!SERVER_ONLY.contains(name)) {
                fields.add(new HeaderField(name, field.value()));
            }
        }
        if (contentLength >= 0) {
            fields.add(new HeaderField("content-length", Long.toString(contentLength)));
        }
        return fields;
    }
}
