package dev.sprox.server;

import dev.sprox.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One response as it came off the wire.
 *
 * @param body    the body after any chunked decoding
 * @param framing how the body was delimited: {@code none}, {@code length}, {@code chunked} or {@code close}
 */
record RawResponse(String version, int status, String reason, List<Headers.Field> headers, byte[] body,
                   String framing) {

    Optional<String> header(String name) {
        return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Headers.Field::value).findFirst();
    }

    List<String> all(String name) {
        return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Headers.Field::value).toList();
    }

    boolean has(String name) {
        return header(name).isPresent();
    }

    boolean hasToken(String name, String token) {
        return all(name).stream().flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(t -> t.strip().equalsIgnoreCase(token));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        var text = new StringBuilder(version + " " + status + " " + reason);
        headers.forEach(f -> text.append(" | ").append(f.name()).append(": ").append(f.value()));
        String shown = bodyText();
        return text.append(" | body(").append(framing).append(", ").append(body.length).append("): ")
                .append(shown.length() > 200 ? shown.substring(0, 200) + "..." : shown).toString();
    }
}
