package dev.sprox.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;

/** Makes a request the way sprox will: a real HttpClient built on {@link UpstreamTls#sslContext}. */
final class Upstream {

    private Upstream() {}

    static HttpResponse<String> get(UpstreamTlsConfig config, String url)
            throws IOException, GeneralSecurityException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().sslContext(UpstreamTls.sslContext(config))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
