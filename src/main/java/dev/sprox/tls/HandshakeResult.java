package dev.sprox.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** How a TLS handshake ended: the {@code result} label of the handshake metric, a small fixed set. */
public enum HandshakeResult {
    SUCCESS("success"),
    /** No handshake within the header timeout: a slow or stalled client. */
    TIMEOUT("timeout"),
    /** The client went away mid-handshake (scanners, health checks that only connect). */
    CLOSED("closed"),
    /** The client offered only protocol versions the listener refuses, e.g. TLS 1.1. */
    PROTOCOL_VERSION("protocol_version"),
    /** The client offered no cipher suite the listener allows. */
    NO_SHARED_CIPHER("no_shared_cipher"),
    /** Not TLS at all: typically plain HTTP sent to an HTTPS port. */
    NOT_TLS("not_tls"),
    /** The client refused the handshake with an alert, e.g. it does not trust the certificate. */
    CLIENT_ALERT("client_alert"),
    FAILED("failed");

    private final String label;

    HandshakeResult(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * JSSE reports every failure as an SSLException told apart only by its message, so this reads the message:
     * a wrong guess costs a label, never a connection.
     */
    static HandshakeResult of(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            return TIMEOUT;
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof SSLException) {
            if (message.contains("unsupported or unrecognized ssl message")) {
                return NOT_TLS;
            }
            if (message.contains("received fatal alert")) {
                return CLIENT_ALERT;
            }
            if (message.contains("protocol") && (message.contains("not enabled") || message.contains("not accepted")
                    || message.contains("protocol_version"))) {
                return PROTOCOL_VERSION;
            }
            if (message.contains("cipher suites in common") || message.contains("no negotiable cipher suite")) {
                return NO_SHARED_CIPHER;
            }
            if (message.contains("remote host terminated") || failure.getCause() instanceof EOFException
                    || failure.getCause() instanceof SocketException) {
                return CLOSED;
            }
            return FAILED;
        }
        return failure instanceof EOFException || failure instanceof SocketException ? CLOSED : FAILED;
    }
}
