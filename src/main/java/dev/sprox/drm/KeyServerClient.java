package dev.sprox.drm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.sprox.http.Headers;
import dev.sprox.security.DestinationGuard;
import dev.sprox.security.HostResolver;
import dev.sprox.telemetry.Tracing;
import dev.sprox.upstream.HeaderPolicy;
import dev.sprox.upstream.HopCheck;
import dev.sprox.upstream.OriginExchanges;
import dev.sprox.upstream.RedirectTargets;
import dev.sprox.upstream.RetryConfig;
import dev.sprox.upstream.UpstreamClient;
import dev.sprox.upstream.UpstreamConfig;
import dev.sprox.upstream.UpstreamEvents;
import dev.sprox.upstream.UpstreamFailure;
import dev.sprox.upstream.UpstreamRequest;
import dev.sprox.upstream.UpstreamResponse;
import dev.sprox.upstream.UpstreamTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks {@code drm.key_server} for one key, over the same HTTP client, TLS (CA bundle, client certificate, SNI)
 * and timeouts as a route's origin, one attempt per lookup (the breaker, not retries, handles a sick server).
 * The answer is a ClearKey JSON Web Key Set; its bytes and the parser's characters are wiped once the key is
 * out, and the parser pools no buffers that could keep a copy.
 */
final class KeyServerClient implements AutoCloseable {
    /** A key set for one KID is a few hundred bytes; anything past this is not a key server's answer. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** Lookups in flight at once: each answer is small and read whole, and lookups of one KID share one. */
    private static final int KEY_SERVER_EXCHANGES = 32;
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.nonRecyclingPool()).build();
    private static final RetryConfig ONE_ATTEMPT = new RetryConfig(1, Duration.ofMillis(1), 1.0, Duration.ofMillis(1),
            0, 0, Duration.ofSeconds(1), 0);

    private final DrmConfig.KeyServer config;
    private final UpstreamClient client;

    private KeyServerClient(DrmConfig.KeyServer config, UpstreamClient client) {
        this.config = config;
        this.client = client;
    }

    static KeyServerClient start(DrmConfig.KeyServer config) throws IOException, GeneralSecurityException {
        URI origin = config.urlFor(new Kid(0, 0));
        var upstream = new UpstreamConfig(origin, config.connectTimeout(),
                config.readTimeout(), Optional.of(config.connectTimeout().plus(config.readTimeout())), config.tls(),
                Optional.empty(), 0, RedirectTargets.NONE, ONE_ATTEMPT, HeaderPolicy.DEFAULT);
        // The key server is the operator's, like a route's origin: it may be private, a hop away from it may not.
        HopCheck hops = HopCheck.leavingOrigin(origin, RedirectTargets.NONE,
                DestinationGuard.anyHost(List.of(), HostResolver.system()));
        // Exchanges of its own: a lookup made while a stream holds its media exchange must not wait for the streams.
        return new KeyServerClient(config, new UpstreamClient(upstream, UpstreamTls.sslContext(config.tls()),
                Optional.empty(), hops, UpstreamEvents.NONE, new OriginExchanges(KEY_SERVER_EXCHANGES)));
    }

    /** What the key server said about one KID. */
    sealed interface Fetched {
        /** The key, owned by the receiver. */
        record Found(ContentKey key) implements Fetched {}

        record NotFound() implements Fetched {}

        /** @param kind a fixed word for the metric: timeout, unreachable, status, malformed */
        record Failed(String kind) implements Fetched {}
    }

    Fetched fetch(Kid kid, Tracing tracing) {
        URI uri = config.urlFor(kid);
        Headers.Builder headers = Headers.builder().add("Accept", "application/json");
        config.headers().forEach((name, value) -> headers.set(name, value.value()));
        Optional<InputStream> body = Optional.empty();
        long length = -1;
        if (config.method() == DrmConfig.Method.POST) {
            byte[] request = ("{\"kids\":[\"" + kid.base64Url() + "\"],\"type\":\"temporary\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            headers.set("Content-Type", "application/json");
            body = Optional.of(new ByteArrayInputStream(request));
            length = request.length;
        }
        try (UpstreamResponse response = client.send(new UpstreamRequest(config.method().name(), uri,
                headers.build(), body, length), tracing)) {
            if (response.status() == 404) {
                return new Fetched.NotFound();
            }
            if (response.status() != 200) {
                return new Fetched.Failed("status");
            }
            byte[] answer = response.body().readNBytes(MAX_ANSWER_BYTES + 1);
            try {
                return answer.length > MAX_ANSWER_BYTES ? new Fetched.Failed("malformed") : keyFor(kid, answer);
            } finally {
                Arrays.fill(answer, (byte) 0);
            }
        } catch (UpstreamFailure failure) {
            return new Fetched.Failed(failure.kind() == UpstreamFailure.Kind.TIMEOUT ? "timeout" : "unreachable");
        } catch (IOException e) {
            return new Fetched.Failed("unreachable");
        }
    }

    /** The key for {@code kid} in a ClearKey key set; other entries' keys are wiped as soon as they are read. */
    static Fetched keyFor(Kid kid, byte[] answer) {
        try {
            Optional<Map<Kid, ContentKey>> set = keys(answer, Optional.of(kid));
            if (set.isEmpty()) {
                return new Fetched.Failed("malformed");
            }
            ContentKey found = set.get().get(kid);
            return found == null ? new Fetched.NotFound() : new Fetched.Found(found);
        } catch (IOException e) {
            return new Fetched.Failed("malformed");
        }
    }

    /**
     * Every key of a ClearKey key set (an integrator's, for {@code /admin/decrypt-url}), each the caller's to close;
     * empty when the set is malformed or holds an entry whose {@code k} is not 16 bytes of base64url.
     */
    static Optional<Map<Kid, ContentKey>> keySet(byte[] answer) {
        try {
            return keys(answer, Optional.empty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The keys of a key set, only {@code wanted}'s when given; empty when it is not a JSON object.
     *
     * @throws IOException when a kept entry's {@code k} is not 16 bytes of base64url: a broken answer, not a miss
     */
    private static Optional<Map<Kid, ContentKey>> keys(byte[] answer, Optional<Kid> wanted) throws IOException {
        var keys = new HashMap<Kid, ContentKey>();
        boolean done = false;
        try (JsonParser json = JSON.createParser(answer)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                if (json.currentName().equals("keys") && json.nextToken() == JsonToken.START_ARRAY) {
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        entry(wanted, json, keys);
                    }
                } else {
                    json.nextToken();
                    json.skipChildren();
                }
            }
            done = true;
            return Optional.of(keys);
        } finally {
            if (!done) {
                keys.values().forEach(ContentKey::close);
            }
        }
    }

    /**
     * One {@code {"kty","kid","k"}} object, its key put in {@code keys} when it has a KID (and it is the one wanted,
     * if one is); a later entry for the same KID wins.
     *
     * @throws IOException when that entry's {@code k} is not 16 bytes of base64url
     */
    private static void entry(Optional<Kid> wanted, JsonParser json, Map<Kid, ContentKey> keys) throws IOException {
        Optional<Kid> kid = Optional.empty();
        Optional<ContentKey> key = Optional.empty();
        boolean unreadableKey = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("kid") && value == JsonToken.VALUE_STRING) {
                kid = Kid.parse(json.getText());
            } else if (field.equals("k") && value == JsonToken.VALUE_STRING) {
                char[] chars = json.getTextCharacters();
                int offset = json.getTextOffset();
                int length = json.getTextLength();
                key.ifPresent(ContentKey::close);
                key = ContentKey.decodeBase64Url(chars, offset, length);
                unreadableKey = key.isEmpty();
                Arrays.fill(chars, offset, offset + length, '\0');
            } else {
                json.skipChildren();
            }
        }
        if (kid.isPresent() && wanted.map(kid.get()::equals).orElse(true)) {
            if (unreadableKey) {
                throw new IOException("the key for a KID asked for is not 16 bytes of base64url");
            }
            if (key.isPresent()) {
                ContentKey previous = keys.put(kid.get(), key.get());
                if (previous != null) {
                    previous.close();
                }
            }
            return;
        }
        key.ifPresent(ContentKey::close);
    }

    @Override
    public void close() {
        client.close();
    }
}
