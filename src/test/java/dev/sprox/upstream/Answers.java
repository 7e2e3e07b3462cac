package dev.sprox.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** Origin answers as the HttpClient hands them over, made up by tests: a status, header fields and a body. */
final class Answers {
    static final URI URL = URI.create("http://origin.test/vod/seg.ts");

    private Answers() {}

    /** An answer with {@code namesAndValues} as its header fields and an empty body. */
    static HttpResponse<PacedBody> answer(int status, String... namesAndValues) {
        return answer(status, new PacedBody(share()), namesAndValues);
    }

    /** A share of an exchange budget of its own, for a body made up by a test. */
    static OriginExchanges.Share share() {
        try {
            return new OriginExchanges(1).take(0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<PacedBody> answer(int status, PacedBody body, String... namesAndValues) {
        var fields = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return new Answer(status, HttpHeaders.of(fields, (name, value) -> true), body);
    }

    private record Answer(int statusCode, HttpHeaders headers, PacedBody body) implements HttpResponse<PacedBody> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URL).build();
        }

        @Override
        public Optional<HttpResponse<PacedBody>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URL;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
