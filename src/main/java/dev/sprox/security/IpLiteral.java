package dev.sprox.security;

import java.net.InetAddress;
import java.util.Optional;

/** IP address literals, parsed without ever asking DNS. */
public final class IpLiteral {
    private IpLiteral() {}

    /** Accepts {@code 192.0.2.1}, {@code 2001:db8::1} and {@code [2001:db8::1]}; anything else is empty. */
    public static Optional<InetAddress> parse(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(candidate));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
