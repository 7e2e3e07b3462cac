package dev.sprox.pipeline;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHost;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.Request;
import dev.sprox.tls.AcmeWebroot;
import dev.sprox.tls.TlsConfig;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a plain listener with {@code redirect_to_https} answers: ACME HTTP-01 challenges from the TLS listener's
 * webroot (the CA fetches them over plain HTTP, RFC 8555 §8.3), and for everything else a 308 to the same host
 * and target over HTTPS. 308 keeps the method and body, where 301 lets clients turn a POST into a GET.
 */
final class HttpsRedirect {
    static final String REDIRECT = "https_redirect";
    static final String CHALLENGE = "acme_challenge";
    /** A DNS name or an IPv4 address; IPv6 literals are checked separately. Anything else is not echoed back. */
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private HttpsRedirect() {}

    /** The endpoint label, for the access log and metrics. */
    static String label(Request request) {
        return request.path().startsWith(AcmeWebroot.CHALLENGE_PREFIX) ? CHALLENGE : REDIRECT;
    }

    static Response answer(Request request, List<ListenerConfig> listeners, String targetListener) {
        ListenerConfig target = listeners.stream().filter(l -> l.id().equals(targetListener))
                .findFirst().orElseThrow(() -> new IllegalStateException("redirect to unknown listener "
                        + targetListener + " passed validation"));
        if (request.path().startsWith(AcmeWebroot.CHALLENGE_PREFIX)) {
            return challenge(request, target);
        }
        String host = RequestHost.of(request.head());
        String authority;
        if (HOST.matcher(host).matches()) {
            authority = host;
        } else if (host.contains(":") && IPV6.matcher(host).matches()) {
            authority = "[" + host + "]";
        } else {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "cannot redirect to HTTPS without a valid Host");
        }
        String port = target.port() == 443 ? "" : ":" + target.port();
        String query = request.head().target().rawQuery() == null ? "" : "?" + request.head().target().rawQuery();
        return Response.text(308, "text/plain; charset=utf-8", "use https\n")
                .withHeader("Location", "https://" + authority + port + request.path() + query);
    }

    private static Response challenge(Request request, ListenerConfig target) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return ErrorResponses.of(new RequestRejected(RequestError.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed here")).withHeader("Allow", "GET, HEAD");
        }
        String keyAuthorization = target.tls().flatMap(TlsConfig::acme)
                .flatMap(acme -> AcmeWebroot.challenge(acme.webroot(), request.path()))
                .orElseThrow(() -> new RequestRejected(RequestError.NOT_FOUND, "no such challenge"));
        return Response.text(200, "text/plain", keyAuthorization);
    }
}
