package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import dev.sprox.server.ServeGroup;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /admin/sign-url?d=URL[&h_name=value...][&ttl_s=N][&endpoint=stream|manifest|mpd|mpd_hls][&decrypt=1]
 * [&base=URL]}: mints a signed URL (with {@code decrypt=1}, an HLS playlist whose media sprox decrypts with the keys
 * it holds) and answers {@code {"url": ..., "expires": epoch-seconds, "expires_at": ISO-8601}}.
 * Group {@code admin}, and the API password when one is configured (see
 * {@link DirectAuthorization#requirePassword}).
 */
public final class SignUrlEndpoint {
    public static final String PATH = "/admin/sign-url";

    private final DirectAuthorization authorization;

    public SignUrlEndpoint(DirectAuthorization authorization) {
        this.authorization = authorization;
    }

    public Endpoint endpoint() {
        return Endpoint.get(ServeGroup.ADMIN, PATH, this::handle);
    }

    Response handle(Request request, RequestContext context) {
        authorization.requirePassword(request, context);
        QueryParameters query = request.query();
        Duration ttl = query.first("ttl_s").map(SignedUrls::ttl)
                .orElse(authorization.signedUrlTtl());
        SignedUrls.Endpoint endpoint = query.first("endpoint").map(name -> SignedUrls.Endpoint.named(name)
                        .orElseThrow(() -> refused("endpoint must be " + SignedUrls.Endpoint.NAMES)))
                .orElse(SignedUrls.Endpoint.FOR_DESTINATION);
        Decryption decryption = query.first(Decryption.MODE).map(mode -> {
            if (!mode.equals("1")) {
                throw refused("decrypt must be 1");
            }
            return Decryption.playlist(Optional.empty());
        }).orElse(Decryption.NONE);
        UrlSigning signing = authorization.signing(ttl);
        SignedUrls.Minted minted = SignedUrls.mint(request.head().target().rawQuery(), query, endpoint, decryption,
                signing, query.first("base"));
        return Response.text(200, "application/json", minted.json()).withHeader("Cache-Control", "no-store");
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
