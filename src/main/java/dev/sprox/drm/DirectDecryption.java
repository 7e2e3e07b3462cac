package dev.sprox.drm;

import dev.sprox.direct.MediaDecryption;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.mp4.Mp4Exception;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.telemetry.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decrypting mode of the direct endpoints ({@code decrypt=1} in a signed URL): init segments without their
 * protection, and segments decrypted as they stream, with keys from the request's sealed token
 * ({@link KeyToken}) first and the key store and key server ({@link KeyLookup}) for any other KID. A KID with no
 * key is a 403 before any byte, logged with the KID and the token's id, never a key.
 */
public final class DirectDecryption implements MediaDecryption {
    private static final Logger LOG = LoggerFactory.getLogger(DirectDecryption.class);

    private final Metrics metrics;
    private final KeyLookup lookup;
    private final KeyVerdicts verdicts = new KeyVerdicts();

    public DirectDecryption(Metrics metrics, KeyLookup lookup) {
        this.metrics = metrics;
        this.lookup = lookup;
    }

    @Override
    public byte[] init(InputStream origin, RequestContext context) throws IOException {
        long start = System.nanoTime();
        try (var decryptor = new FragmentDecryptor(Map.of(), kid -> {
            throw new DecryptException(DecryptException.Reason.UNSUPPORTED, Optional.of(kid),
                    "an init segment with samples");
        }, FragmentDecryptor.Limits.DEFAULT)) {
            var out = new BoundedBuffer(FragmentDecryptor.Limits.DEFAULT.maxBoxBytes());
            decryptor.decrypt(origin, out);
            metrics.drmDecrypted(0, System.nanoTime() - start);
            return out.toByteArray();
        } catch (DecryptException e) {
            throw refused(e, "-", context);
        } catch (Mp4Exception e) {
            throw malformed(e, context);
        }
    }

    @Override
    public Segment segment(InputStream init, Optional<SealedKeys> sealed, RequestContext context) throws IOException {
        String tokenId = sealed.map(SealedKeys::id).orElse("-");
        Map<Kid, ContentKey> given = sealed.map(s -> KeyToken.keys(s.content()).orElseThrow(() -> {
            LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("key_token", tokenId)
                    .log("the key token holds no keys");
            return new RequestRejected(RequestError.FORBIDDEN, "the key token holds no keys");
        })).orElse(Map.of());
        var keys = new GivenFirst(given, new LookupKeys(lookup, context.tracing()));
        var decryptor = new FragmentDecryptor(Map.of(), keys, FragmentDecryptor.Limits.DEFAULT, verdicts);
        try {
            decryptor.decrypt(init, OutputStream.nullOutputStream());
            keys.require(decryptor.tracks().values());
        } catch (DecryptException e) {
            decryptor.close();
            keys.close();
            throw refused(e, tokenId, context);
        } catch (Mp4Exception e) {
            decryptor.close();
            keys.close();
            throw malformed(e, context);
        } catch (IOException | RuntimeException e) {
            decryptor.close();
            keys.close();
            throw e;
        }
        return new Segment() {
            @Override
            public void start(InputStream origin) throws IOException {
                try {
                    decryptor.start(origin);
                } catch (DecryptException e) {
                    throw refused(e, tokenId, context);
                } catch (Mp4Exception e) {
                    throw malformed(e, context);
                }
            }

            @Override
            public void decrypt(InputStream origin, OutputStream out) throws IOException {
                long start = System.nanoTime();
                try {
                    decryptor.decrypt(origin, out);
                    metrics.drmDecrypted(decryptor.bytesDecrypted(), System.nanoTime() - start);
                } catch (DecryptException e) {
                    stopped(e.reason().label(), e.kid(), e.getMessage(), tokenId, context);
                    throw e;
                } catch (Mp4Exception e) {
                    stopped(e.reason() == Mp4Exception.Reason.TOO_LARGE ? "too_large" : "malformed", Optional.empty(),
                            e.getMessage(), tokenId, context);
                    throw e;
                }
            }

            @Override
            public void close() {
                decryptor.close();
                keys.close();
            }
        };
    }

    /** The integrator's keys for their KIDs, the lookup's for the rest; each key handed out is a copy. */
    private static final class GivenFirst implements FragmentDecryptor.Keys, AutoCloseable {
        private final Map<Kid, ContentKey> given;
        private final LookupKeys lookup;

        GivenFirst(Map<Kid, ContentKey> given, LookupKeys lookup) {
            this.given = new HashMap<>(given);
            this.lookup = lookup;
        }

        void require(Collection<TrackProtection> tracks) throws DecryptException {
            lookup.require(tracks.stream().filter(t -> !t.defaults().isProtected()
                    || !given.containsKey(Kid.of(t.defaults().kid()))).toList());
        }

        @Override
        public ContentKey key(Kid kid) throws DecryptException {
            ContentKey key = given.get(kid);
            return key != null ? key.copy() : lookup.key(kid);
        }

        @Override
        public void close() {
            given.values().forEach(ContentKey::close);
            given.clear();
            lookup.close();
        }
    }

    /** A segment cut short where it failed: nothing after the failure reaches the player. */
    private void stopped(String reason, Optional<Kid> kid, String detail, String tokenId, RequestContext context) {
        metrics.drmDecryptFailed(reason);
        LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("reason", reason)
                .addKeyValue("kid", kid.map(Kid::hex).orElse("-")).addKeyValue("key_token", tokenId)
                .addKeyValue("detail", detail).log("decryption stopped mid-segment");
    }

    private RequestRejected refused(DecryptException e, String tokenId, RequestContext context) {
        metrics.drmDecryptFailed(e.reason().label());
        LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("reason", e.reason().label())
                .addKeyValue("kid", e.kid().map(Kid::hex).orElse("-")).addKeyValue("key_token", tokenId)
                .log("cannot decrypt: " + e.getMessage());
        return e.rejection();
    }

    private RequestRejected malformed(Mp4Exception e, RequestContext context) {
        metrics.drmDecryptFailed(e.reason() == Mp4Exception.Reason.TOO_LARGE ? "too_large" : "malformed");
        LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("reason", e.reason().name())
                .addKeyValue("detail", e.getMessage()).log("origin media cannot be decrypted");
        return new RequestRejected(RequestError.UPSTREAM_FAILED, "origin media cannot be decrypted");
    }
}
