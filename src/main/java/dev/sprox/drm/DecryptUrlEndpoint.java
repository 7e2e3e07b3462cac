package dev.sprox.drm;

import dev.sprox.direct.Decryption;
import dev.sprox.direct.DirectAuthorization;
import dev.sprox.direct.SignedUrls;
import dev.sprox.direct.UrlSigning;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import dev.sprox.server.ServeGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /admin/decrypt-url?d=URL[&h_name=value...][&endpoint=manifest|mpd_hls][&ttl_s=N][&base=URL]} with a
 * ClearKey key set as its body ({@code {"keys":[{"kty":"oct","kid":"...","k":"..."}]}}, what a {@code drm.key_server}
 * answers): mints a decrypting playlist URL whose keys travel sealed inside it ({@link KeyToken}), for integrators
 * whose keys are not in sprox's configuration. The keys come in the body, never the query, so no access log sees
 * them. Group {@code admin}, the API password when one is configured, as {@code /admin/sign-url}.
 */
public final class DecryptUrlEndpoint {
    public static final String PATH = "/admin/decrypt-url";

    private final DirectAuthorization authorization;

    public DecryptUrlEndpoint(DirectAuthorization authorization) {
        this.authorization = authorization;
    }

    public Endpoint endpoint() {
        return new Endpoint(ServeGroup.ADMIN, PATH, false, Set.of("POST"), this::handle, true);
    }

    Response handle(Request request, RequestContext context) throws IOException {
        authorization.requirePassword(request, context);
        QueryParameters query = request.query();
        String destination = query.first("d").orElseThrow(() -> refused("query parameter d is required"));
        SignedUrls.Endpoint endpoint = query.first("endpoint").map(name -> SignedUrls.Endpoint.named(name)
                        .orElseThrow(() -> refused("endpoint must be manifest or mpd_hls")))
                .orElse(SignedUrls.Endpoint.FOR_DESTINATION);
        Duration ttl = query.first("ttl_s").map(SignedUrls::ttl).orElse(authorization.signedUrlTtl());
        List<QueryParameters.Parameter> headers = query.all().stream().filter(p -> p.name().startsWith("h_"))
                .map(p -> new QueryParameters.Parameter(p.name().substring(2), p.value())).toList();
        byte[] body = request.body().readNBytes(KeyServerClient.MAX_ANSWER_BYTES + 1);
        Map<Kid, ContentKey> keys;
        try {
            if (body.length > KeyServerClient.MAX_ANSWER_BYTES) {
                throw new RequestRejected(RequestError.BODY_TOO_LARGE,
                        "a key set is at most " + KeyServerClient.MAX_ANSWER_BYTES + " bytes");
            }
            keys = KeyServerClient.keySet(body).filter(set -> !set.isEmpty() && set.size() <= LicenceUrls.MAX_KIDS)
                    .orElseThrow(() -> refused("the body must be a ClearKey key set of 1 to " + LicenceUrls.MAX_KIDS
                            + " keys, each a KID and 16 bytes of base64url"));
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        try {
            UrlSigning signing = authorization.signing(ttl);
            String token = KeyToken.seal(keys, signing.signer(), signing.expiresEpochSecond());
            SignedUrls.Minted minted = SignedUrls.mint(destination, headers, endpoint,
                    Decryption.playlist(Optional.of(token)), signing, query.first("base"));
            return Response.text(200, "application/json", minted.json()).withHeader("Cache-Control", "no-store");
        } finally {
            keys.values().forEach(ContentKey::close);
        }
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
