package dev.sprox.direct;

import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.security.ApiPassword;
import dev.sprox.security.RateLimiter;
import dev.sprox.security.UrlSigner.HeaderOverride;
import dev.sprox.security.UrlSigner.Verification;
import dev.sprox.security.UrlSigner;
import dev.sprox.server.Request;
import dev.sprox.telemetry.Metrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a direct request may go upstream, before anything is fetched.
 *
 * <p>A request is allowed when the endpoints are {@link DirectCredentials#open() open}, when it carries the
 * right API password, or when its {@code exp}/{@code sig} are a valid signature of exactly its destination
 * and header overrides. A request that offers both is allowed if either holds: a right password or a
 * valid signature each authorise it on their own, and a wrong one beside them reveals nothing the answer
 * would not. Refused, it hears about the password when it offered one, else about the signature, else
 * that credentials are missing.
 *
 * <p>When {@code rate_limit} is configured, each refusal where something was offered (a guess, unlike a
 * missing credential or an authentic URL that expired) spends the client's authentication-failure bucket,
 * and a client whose bucket is empty is refused with 429 before its credentials are looked at.
 */
public final class DirectAuthorization {
    private static final Decision.Refused MISSING = new Decision.Refused(RequestError.UNAUTHENTICATED,
            "an API password or a signed URL is required", false);
    private static final Decision.Refused PASSWORD_MISSING = new Decision.Refused(RequestError.UNAUTHENTICATED,
            "the API password is required", false);
    private static final Decision.Refused WRONG_PASSWORD = new Decision.Refused(RequestError.FORBIDDEN,
            "the API password is not valid", true);
    private static final Decision.Refused CONFLICTING = new Decision.Refused(RequestError.BAD_PARAMETER,
            "the API password is given more than once, with different values", true);
    private static final Decision.Refused EXPIRED = new Decision.Refused(RequestError.FORBIDDEN,
            "the signed URL has expired", false);
    private static final Decision.Refused TAMPERED = new Decision.Refused(RequestError.FORBIDDEN,
            "the URL signature does not match this request", true);
    private static final Decision.Refused TAMPERED_PREFIX = new Decision.Refused(RequestError.FORBIDDEN,
            "the signed prefix is not valid", true);

    private final Metrics metrics;
    private final InstantSource clock;
    private final DirectCredentials credentials;
    private final Duration signedUrlTtl;
    private final Optional<RateLimiter> limiter;

    /**
     * @param credentials  what direct requests must present under this configuration
     * @param signedUrlTtl {@code direct_stream.signed_url_ttl_s}
     * @param limiter      whose authentication-failure buckets refusals spend
     */
    public DirectAuthorization(Metrics metrics, InstantSource clock, DirectCredentials credentials,
                               Duration signedUrlTtl, Optional<RateLimiter> limiter) {
        this.metrics = metrics;
        this.clock = clock;
        this.credentials = credentials;
        this.signedUrlTtl = signedUrlTtl;
        this.limiter = limiter;
    }

    /** Why a request may proceed, or why not. */
    public sealed interface Decision {
        /** No credentials are configured. */
        record Open() implements Decision {}

        record ByPassword() implements Decision {}

        record BySignature(long expiresEpochSecond) implements Decision {}

        /** A signed prefix: {@code base} and anything after it, with these overrides, until the expiry. */
        record ByPrefix(String base, List<HeaderOverride> overrides, long expiresEpochSecond) implements Decision {}

        /**
         * @param guess whether the client offered something that was wrong: that spends its failure bucket
         */
        record Refused(RequestError error, String reason, boolean guess) implements Decision {}
    }

    /**
     * Checked before any upstream request.
     *
     * @return how the request is allowed
     * @throws RequestRejected 401, 403 or 400 when it is not, 429 when its client failed too often
     */
    public Decision authorize(Request request, RequestContext context, DirectRequest direct) {
        if (credentials.open() && !direct.decryption().requested()) {
            return new Decision.Open();
        }
        return gated(context, () -> decide(credentials, request.headers(), request.query(),
                direct.destination().toString(), direct.overrides().signed(), direct.decryption().signed(),
                clock.instant().getEpochSecond()));
    }

    /**
     * The integrator's sealed keys of a request already authorised: open, authentic and unexpired, or a 403 that
     * spends the failure bucket when it was forged.
     *
     * @throws RequestRejected 403 when the token does not open, 429 when its client failed too often
     */
    MediaDecryption.SealedKeys openKeys(RequestContext context, String token) {
        throttle(context);
        UrlSigner.Unsealed unsealed = credentials.signer().unseal(token, clock.instant().getEpochSecond());
        if (unsealed instanceof UrlSigner.Unsealed.Valid valid) {
            return new MediaDecryption.SealedKeys(valid.id(), valid.content());
        }
        Decision.Refused refused = switch (unsealed) {
            case UrlSigner.Unsealed.Valid valid -> throw new IllegalStateException("answered above");
            case UrlSigner.Unsealed.Expired expired -> new Decision.Refused(RequestError.FORBIDDEN,
                    "the key token has expired", false);
            case UrlSigner.Unsealed.Tampered tampered -> new Decision.Refused(RequestError.FORBIDDEN,
                    "the key token is not valid", true);
            case UrlSigner.Unsealed.Malformed malformed -> new Decision.Refused(RequestError.FORBIDDEN,
                    "the key token is malformed", true);
        };
        throw refusal(context, refused);
    }

    /**
     * For {@code /proxy/base/<token>/...}: the token alone decides, whatever credentials are configured, since only
     * it says which base the request may fetch below. Sprox writes these tokens (never the caller), so they need a
     * signature even when the direct endpoints are open; a tampered or malformed token spends the failure bucket.
     *
     * @throws RequestRejected 403 when the token is not valid, 429 when its client failed too often
     */
    public Decision.ByPrefix authorizePrefix(RequestContext context, String token) {
        return (Decision.ByPrefix) gated(context, () -> switch (credentials.signer().verifyPrefix(token,
                clock.instant().getEpochSecond())) {
            case UrlSigner.PrefixVerification.Valid valid -> new Decision.ByPrefix(valid.base(), valid.overrides(),
                    valid.expiresEpochSecond());
            case UrlSigner.PrefixVerification.Expired expired -> EXPIRED;
            case UrlSigner.PrefixVerification.Tampered tampered -> TAMPERED_PREFIX;
            case UrlSigner.PrefixVerification.Malformed malformed -> new Decision.Refused(RequestError.FORBIDDEN,
                    "the signed prefix is malformed", true);
        });
    }

    /**
     * For an endpoint that is never open, whatever the direct endpoints are: the right API password, or a valid
     * signature of {@code signed} (the licence endpoint signs a description of the keys a URL may fetch).
     *
     * @throws RequestRejected as {@link #authorize}
     */
    public Decision authorizeSigned(Request request, RequestContext context, String signed) {
        return gated(context, () -> decideSigned(credentials, request.headers(), request.query(), signed, List.of(),
                clock.instant().getEpochSecond()));
    }

    /**
     * How the URLs written into an answer now are signed: valid for {@code direct_stream.signed_url_ttl_s}, and
     * never past the signature that let this request in, so a URL minted for six hours cannot keep handing out
     * fresh URLs from a live playlist for ever; a password-authorised request gets the full ttl.
     */
    public UrlSigning signing(RequestContext context, Decision decision) {
        UrlSigning fresh = signing(signedUrlTtl);
        long expires = switch (decision) {
            case Decision.BySignature signature -> signature.expiresEpochSecond();
            case Decision.ByPrefix prefix -> prefix.expiresEpochSecond();
            default -> fresh.expiresEpochSecond();
        };
        return expires < fresh.expiresEpochSecond() ? new UrlSigning(fresh.signer(), expires) : fresh;
    }

    /** How URLs minted now for {@code ttl} are signed, for the admin endpoints that mint them on request. */
    public UrlSigning signing(Duration ttl) {
        return credentials.signing(clock.instant(), ttl);
    }

    /** {@code direct_stream.signed_url_ttl_s}: how long minted URLs last unless the request asks otherwise. */
    public Duration signedUrlTtl() {
        return signedUrlTtl;
    }

    /**
     * For minting signed URLs: when a password is configured only the password will do, so a signed URL
     * cannot mint others; without one, the admin listener is the only gate.
     *
     * @throws RequestRejected as {@link #authorize}
     */
    public Decision requirePassword(Request request, RequestContext context) {
        Optional<ApiPassword> password = credentials.password();
        if (password.isEmpty()) {
            return new Decision.Open();
        }
        return gated(context, () -> switch (password.get().check(request.headers(), request.query())) {
            case ApiPassword.Check.Accepted a -> new Decision.ByPassword();
            case ApiPassword.Check.Missing m -> PASSWORD_MISSING;
            case ApiPassword.Check.Wrong w -> WRONG_PASSWORD;
            case ApiPassword.Check.Conflicting c -> CONFLICTING;
        });
    }

    /** The failure bucket first, then the decision; a refusal that was a guess spends the bucket. */
    private Decision gated(RequestContext context, Supplier<Decision> decision) {
        throttle(context);
        Decision decided = decision.get();
        if (decided instanceof Decision.Refused refused) {
            throw refusal(context, refused);
        }
        return decided;
    }

    private void throttle(RequestContext context) {
        Optional<RateLimiter.Refusal> throttled = limiter.flatMap(l -> l.admitAuthentication(context.client()));
        if (throttled.isPresent()) {
            metrics.rateLimited(throttled.get().bucket());
            throw throttled.get().rejection();
        }
    }

    private RequestRejected refusal(RequestContext context, Decision.Refused refused) {
        if (refused.guess()) {
            limiter.ifPresent(l -> l.authenticationFailed(context.client()));
        }
        return new RequestRejected(refused.error(), refused.reason());
    }

    static Decision decide(DirectCredentials credentials, Headers headers, QueryParameters query,
                           String destination, List<HeaderOverride> overrides, long nowEpochSecond) {
        return decide(credentials, headers, query, destination, overrides, List.of(), nowEpochSecond);
    }

    /**
     * A request with signed parameters (the decrypting mode's) is never open: with no credentials configured it
     * still needs a signature, since it spends keys sprox holds.
     */
    static Decision decide(DirectCredentials credentials, Headers headers, QueryParameters query,
                           String destination, List<HeaderOverride> overrides, List<UrlSigner.Parameter> parameters,
                           long nowEpochSecond) {
        if (credentials.open() && parameters.isEmpty()) {
            return new Decision.Open();
        }
        return decideSigned(credentials, headers, query, destination, overrides, parameters, nowEpochSecond);
    }

    private static Decision decideSigned(DirectCredentials credentials, Headers headers, QueryParameters query,
                                         String destination, List<HeaderOverride> overrides, long nowEpochSecond) {
        return decideSigned(credentials, headers, query, destination, overrides, List.of(), nowEpochSecond);
    }

    private static Decision decideSigned(DirectCredentials credentials, Headers headers, QueryParameters query,
                                         String destination, List<HeaderOverride> overrides,
                                         List<UrlSigner.Parameter> parameters, long nowEpochSecond) {
        Optional<ApiPassword.Check> password = ApiPassword.isPresented(headers, query)
                ? Optional.of(credentials.password().map(p -> p.check(headers, query))
                        .orElse(new ApiPassword.Check.Wrong()))
                : Optional.empty();
        if (password.orElse(null) instanceof ApiPassword.Check.Accepted) {
            return new Decision.ByPassword();
        }
        Optional<String> exp = query.first(UrlSigner.EXP);
        Optional<String> sig = query.first(UrlSigner.SIG);
        Decision bySignature = exp.isEmpty() && sig.isEmpty() ? MISSING : switch (credentials.signer()
                .verify(destination, overrides, parameters, exp.orElse(null), sig.orElse(null), nowEpochSecond)) {
            case Verification.Valid valid -> new Decision.BySignature(valid.expiresEpochSecond());
            case Verification.Expired expired -> EXPIRED;
            case Verification.Tampered tampered -> TAMPERED;
            case Verification.Malformed malformed -> new Decision.Refused(RequestError.FORBIDDEN,
                    "the URL signature is malformed: " + malformed.reason(), true);
        };
        if (bySignature instanceof Decision.BySignature || password.isEmpty()) {
            return bySignature;
        }
        return password.get() instanceof ApiPassword.Check.Conflicting ? CONFLICTING : WRONG_PASSWORD;
    }
}
