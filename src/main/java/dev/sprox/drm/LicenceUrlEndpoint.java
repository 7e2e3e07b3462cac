package dev.sprox.drm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /admin/licence-url?kids=KID,KID[&ttl_s=N]}: mints a signed licence URL for a player, bound to those
 * KIDs (or to none: any key, when {@code kids} is absent), and answers
 * {@code {"url": ..., "expires": epoch-seconds, "expires_at": ISO-8601}}. Group {@code admin}, and the API
 * password when one is configured, as {@code /admin/sign-url}.
 */
public final class LicenceUrlEndpoint {
    public static final String PATH = "/admin/licence-url";
    private static final JsonFactory JSON = new JsonFactory();

    private final DirectAuthorization authorization;

    public LicenceUrlEndpoint(DirectAuthorization authorization) {
        this.authorization = authorization;
    }

    public Endpoint endpoint() {
        return Endpoint.get(ServeGroup.ADMIN, PATH, this::handle).issuingKeys();
    }

    Response handle(Request request, RequestContext context) {
        authorization.requirePassword(request, context);
        QueryParameters query = request.query();
        List<Kid> kids = query.first(LicenceUrls.KIDS).map(LicenceUrls::parseKids).orElse(List.of());
        Duration ttl = query.first("ttl_s").map(LicenceUrlEndpoint::ttl)
                .orElse(authorization.signedUrlTtl());
        UrlSigning signing = authorization.signing(ttl);
        long expires = signing.expiresEpochSecond();
        String url = LicenceUrls.signed(kids, signing.signer(), expires);
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("url", url);
            json.writeNumberField("expires", expires);
            json.writeStringField("expires_at", Instant.ofEpochSecond(expires).toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        return Response.text(200, "application/json", text + "\n").withHeader("Cache-Control", "no-store");
    }

    private static Duration ttl(String text) {
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= 1 && seconds <= SignedUrls.MAX_TTL.toSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RequestRejected(RequestError.BAD_PARAMETER,
                "ttl_s must be a whole number of seconds between 1 and " + SignedUrls.MAX_TTL.toSeconds());
    }
}
