package dev.sprox.drm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sprox.direct.DirectAuthorization;
import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import dev.sprox.server.ServeGroup;
import dev.sprox.telemetry.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The W3C Encrypted Media Extensions ClearKey licence endpoint: {@code POST /keys/clearkey} with the licence
 * request a browser's CDM writes ({@code {"kids":["<base64url>"...],"type":"temporary"}}), answered with a JSON
 * Web Key Set of the keys it may have. {@code GET /keys/clearkey?kid=...} (one or more {@code kid}) is kept
 * for the original's clients. KIDs the store does not hold, and KIDs outside a signed URL's {@code kids=}, are
 * left out rather than failing the others.
 *
 * <p>Group {@code ops}, so a public listener serves it to browser players; never open: a signed URL
 * ({@link LicenceUrls}) or the API password. Every request spends the client's {@code key_endpoints} bucket,
 * every wrong credential its {@code auth_failures} one. Each answer is one line on the {@code sprox.audit}
 * logger (client, KIDs, request id, never a key). The answer's bytes are wiped once written.
 */
public final class ClearKeyEndpoint {
    public static final String PATH = "/keys/clearkey";
    /** A licence request for {@link LicenceUrls#MAX_KIDS} KIDs is under 2 KiB; eight times that is generous. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Logger AUDIT = LoggerFactory.getLogger("sprox.audit");
    private static final JsonFactory JSON = new JsonFactory();
    private static final String TEMPORARY = "temporary";

    private final DirectAuthorization authorization;
    private final KeyLookup keys;
    private final Metrics metrics;

    /** @param keys where this configuration's keys are found */
    public ClearKeyEndpoint(DirectAuthorization authorization, KeyLookup keys, Metrics metrics) {
        this.authorization = authorization;
        this.keys = keys;
        this.metrics = metrics;
    }

    public Endpoint endpoint() {
        return new Endpoint(ServeGroup.OPS, PATH, false, Set.of("GET", "HEAD", "POST"), this::handle, true);
    }

    Response handle(Request request, RequestContext context) throws IOException {
        QueryParameters query = request.query();
        Optional<List<Kid>> bound = query.first(LicenceUrls.KIDS).map(LicenceUrls::parseKids);
        String signed = LicenceUrls.resource(bound.map(LicenceUrls::canonical));
        DirectAuthorization.Decision decision = authorization.authorizeSigned(request, context, signed);
        List<Kid> requested = request.method().equals("POST") ? kidsFromBody(request) : kidsFromQuery(query);
        var issued = new ArrayList<Licence.Issued>();
        var unknown = new ArrayList<Kid>();
        var notAllowed = new ArrayList<Kid>();
        try {
            for (Kid kid : requested) {
                if (bound.isPresent() && !bound.get().contains(kid)) {
                    notAllowed.add(kid);
                    continue;
                }
                switch (keys.find(kid, context.tracing())) {
                    case KeyLookup.Lookup.Found found -> issued.add(new Licence.Issued(kid, found.key()));
                    case KeyLookup.Lookup.NotFound notFound -> unknown.add(kid);
                    case KeyLookup.Lookup.Unavailable unavailable -> {
                        metrics.drmKeysIssued("unavailable", 1);
                        audit(context, decision, "key_server_unavailable", List.of(), unknown, notAllowed);
                        throw new RequestRejected(RequestError.UPSTREAM_FAILED, "the key server is unavailable");
                    }
                }
            }
            byte[] body = Licence.json(issued);
            metrics.drmKeysIssued("issued", issued.size());
            metrics.drmKeysIssued("unknown", unknown.size());
            metrics.drmKeysIssued("not_allowed", notAllowed.size());
            audit(context, decision, "answered", issued, unknown, notAllowed);
            return Response.of(200, Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                    new ResponseBody.Bytes(body)).whenWritten(outcome -> Arrays.fill(body, (byte) 0));
        } finally {
            issued.forEach(i -> i.key().close());
        }
    }

    private static List<Kid> kidsFromQuery(QueryParameters query) {
        var kids = new LinkedHashSet<Kid>();
        for (QueryParameters.Parameter parameter : query.all()) {
            if (parameter.name().equals("kid")) {
                kids.add(Kid.parse(parameter.value()).orElseThrow(() -> refused("kid is not a KID")));
            }
        }
        if (kids.isEmpty()) {
            throw refused("kid is required (or POST a ClearKey licence request)");
        }
        return limited(kids);
    }

    /** The EME ClearKey licence request: {@code kids} (base64url) and an optional {@code type}. */
    private static List<Kid> kidsFromBody(Request request) throws IOException {
        byte[] body = request.body().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new RequestRejected(RequestError.BODY_TOO_LARGE,
                    "a licence request is at most " + MAX_BODY_BYTES + " bytes");
        }
        var kids = new LinkedHashSet<Kid>();
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw refused("a licence request is a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "kids" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw refused("kids is a list of base64url KIDs");
                        }
                        while (json.nextToken() == JsonToken.VALUE_STRING) {
                            kids.add(Kid.parse(json.getText()).orElseThrow(() -> refused("kids holds a non-KID")));
                            if (kids.size() > LicenceUrls.MAX_KIDS) {
                                throw refused("a licence request names at most " + LicenceUrls.MAX_KIDS + " KIDs");
                            }
                        }
                        if (json.currentToken() != JsonToken.END_ARRAY) {
                            throw refused("kids is a list of base64url KIDs");
                        }
                    }
                    case "type" -> {
                        if (value != JsonToken.VALUE_STRING || !json.getText().equals(TEMPORARY)) {
                            throw refused("only temporary licences are issued");
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                throw refused("a licence request is one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw refused("a licence request is JSON: {\"kids\":[...],\"type\":\"temporary\"}");
        }
        if (kids.isEmpty()) {
            throw refused("a licence request names at least one KID");
        }
        return List.copyOf(kids);
    }

    private static List<Kid> limited(Set<Kid> kids) {
        if (kids.size() > LicenceUrls.MAX_KIDS) {
            throw refused("a licence request names at most " + LicenceUrls.MAX_KIDS + " KIDs");
        }
        return List.copyOf(kids);
    }

    private static void audit(RequestContext context, DirectAuthorization.Decision decision, String outcome,
                              List<Licence.Issued> issued, List<Kid> unknown, List<Kid> notAllowed) {
        AUDIT.atInfo().addKeyValue("request_id", context.requestId())
                .addKeyValue("client", context.client().getHostAddress())
                .addKeyValue("authorised_by", switch (decision) {
                    case DirectAuthorization.Decision.ByPassword p -> "api_password";
                    case DirectAuthorization.Decision.BySignature s -> "signed_url";
                    default -> "none";
                })
                .addKeyValue("outcome", outcome)
                .addKeyValue("kids_issued", String.join(",", issued.stream().map(i -> i.kid().hex()).toList()))
                .addKeyValue("kids_unknown", String.join(",", unknown.stream().map(Kid::hex).toList()))
                .addKeyValue("kids_not_allowed", String.join(",", notAllowed.stream().map(Kid::hex).toList()))
                .log("clearkey licence");
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
