package dev.sprox.pipeline;

import dev.sprox.http.Headers;
import dev.sprox.security.Cidr;
import dev.sprox.security.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Works out the client's address. Forwarded headers are believed only when the peer is a trusted proxy, and
 * then only as far as the chain of trusted proxies reaches: the right-most address that is not a trusted
 * proxy is the client, so a client cannot smuggle in an address of its choosing by prepending it.
 */
final class ClientAddress {
    private ClientAddress() {}

    static InetAddress resolve(InetAddress peer, Headers headers, List<Cidr> trustedProxies) {
        if (!isTrusted(peer, trustedProxies)) {
            return peer;
        }
        List<String> chain = chain(headers);
        InetAddress client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = parseNode(chain.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!isTrusted(client, trustedProxies)) {
                return client;
            }
        }
        return client;
    }

    static boolean isTrusted(InetAddress address, List<Cidr> trustedProxies) {
        for (Cidr block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Addresses from the first forwarding header present, nearest the client first (RFC 7239 order). */
    private static List<String> chain(Headers headers) {
        var nodes = new ArrayList<String>();
        List<String> forwarded = headers.all("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String value : forwarded) {
                for (String element : value.split(",")) {
                    nodes.add(forParameter(element));
                }
            }
            return nodes;
        }
        List<String> xff = headers.all("X-Forwarded-For");
        if (!xff.isEmpty()) {
            for (String value : xff) {
                for (String element : value.split(",")) {
                    nodes.add(element.strip());
                }
            }
            return nodes;
        }
        headers.first("X-Real-IP").ifPresent(value -> nodes.add(value.strip()));
        return nodes;
    }

    /** The {@code for=} value of one Forwarded element, or "" (which stops the walk) when it has none. */
    private static String forParameter(String element) {
        for (String pair : element.split(";")) {
            String trimmed = pair.strip();
            if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                return trimmed.substring(4);
            }
        }
        return "";
    }

    /** Accepts {@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code "[2001:db8::1]:80"}, {@code 2001:db8::1}. */
    static Optional<InetAddress> parseNode(String node) {
        String value = node.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close < 0 ? Optional.empty() : IpLiteral.parse(value.substring(1, close));
        }
        int colon = value.indexOf(':');
        if (colon >= 0 && colon == value.lastIndexOf(':')) {
            value = value.substring(0, colon);
        }
        return value.isEmpty() || !isPlainAddress(value) ? Optional.empty() : IpLiteral.parse(value);
    }

    /** Only canonical dotted quads and hex IPv6; legacy forms such as {@code 127.1} are not addresses here. */
    private static boolean isPlainAddress(String value) {
        if (value.indexOf(':') >= 0) {
            return value.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return value.matches("(\\d{1,3}\\.){3}\\d{1,3}");
    }
}
