package dev.sprox.upstream;

import java.io.IOException;

/**
 * The SOCKS5 server answered, but not with a usable tunnel: it accepts none of the offered authentication
 * methods, it rejected the username/password, it refused the CONNECT (with an RFC 1928 reply code), or it
 * spoke something that is not SOCKS5. Failing to reach the SOCKS server at all is a plain
 * {@link java.net.ConnectException} / {@link java.net.SocketTimeoutException}, not this.
 */
public final class Socks5Exception extends IOException {
    /** What went wrong, so callers can react without parsing the message. */
    public enum Failure { NO_ACCEPTABLE_METHOD, AUTHENTICATION_FAILED, CONNECT_REFUSED, PROTOCOL_ERROR }

    private final Failure failure;
    private final int replyCode;

    Socks5Exception(Failure failure, int replyCode, String message) {
        super(message);
        this.failure = failure;
        this.replyCode = replyCode;
    }

    public Failure failure() {
        return failure;
    }

    /**
     * The server's code: the CONNECT reply code (RFC 1928 section 6, 1..255) for {@link Failure#CONNECT_REFUSED},
     * the RFC 1929 status for {@link Failure#AUTHENTICATION_FAILED}, otherwise -1.
     */
    public int replyCode() {
        return replyCode;
    }

    /** The RFC 1928 name of a CONNECT reply code, e.g. 4 is "host unreachable". */
    static String describeReply(int code) {
        return switch (code) {
            case 0 -> "succeeded";
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "unassigned reply";
        };
    }
}
