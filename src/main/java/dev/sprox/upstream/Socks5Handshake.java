package dev.sprox.upstream;

import dev.sprox.security.Secret;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The client side of a SOCKS5 CONNECT (RFC 1928) with optional username/password authentication (RFC 1929),
 * on a plain blocking {@link Socket}.
 *
 * <p>Names are sent to the SOCKS server as names (ATYP 0x03) and resolved there, never here: "socks5h"
 * semantics, so DNS of the origin happens on the SOCKS side of the network. IPv4 literals go as ATYP 0x01 and
 * IPv6 literals (bracketed or not) as ATYP 0x04.
 *
 * <p>Method negotiation offers "no authentication" (0x00) and, when a username is configured, also
 * "username/password" (0x02); the server chooses. The whole exchange, TCP connect included, must finish
 * within one deadline; each read gets whatever is left of it as its socket timeout. Only the SOCKS server's
 * own name is resolved locally (by {@link InetSocketAddress}), outside that deadline.
 *
 * <p>Nothing is read past the CONNECT reply (the stream is not buffered), so the returned socket carries
 * exactly the tunnelled bytes. The credentials never appear in exception messages.
 */
public final class Socks5Handshake {
    private static final int VERSION = 0x05;
    private static final int NO_AUTH = 0x00;
    private static final int USER_PASS = 0x02;
    private static final int NO_ACCEPTABLE = 0xFF;
    private static final int CMD_CONNECT = 0x01;
    private static final int ATYP_IPV4 = 0x01;
    private static final int ATYP_DOMAIN = 0x03;
    private static final int ATYP_IPV6 = 0x04;
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private Socks5Handshake() {}

    /**
     * Connects to the SOCKS server and asks it for a tunnel to {@code host:port}.
     *
     * @param host a DNS name or an IP literal (IPv6 may be in brackets)
     * @param timeout bound on the TCP connect plus the whole handshake
     * @return the connected socket, positioned at the first tunnelled byte, with no read timeout
     * @throws Socks5Exception the SOCKS server answered but gave no tunnel
     * @throws IOException the SOCKS server could not be reached or timed out
     */
    public static Socket connect(Socks5Config socks, String host, int port, Duration timeout) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        byte[] connectRequest = connectRequest(host, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(unbracket(socks.host()), socks.port()), remainingMillis(deadline));
            var in = socket.getInputStream();
            var out = socket.getOutputStream();

            boolean credentials = socks.username().isPresent();
            out.write(credentials ? new byte[] {VERSION, 2, NO_AUTH, USER_PASS} : new byte[] {VERSION, 1, NO_AUTH});
            out.flush();
            byte[] choice = read(socket, in, 2, deadline);
            expectVersion(choice[0]);
            int method = choice[1] & 0xFF;
            if (method == USER_PASS && credentials) {
                authenticate(socket, in, out, socks, deadline);
            } else if (method != NO_AUTH) {
                throw new Socks5Exception(Socks5Exception.Failure.NO_ACCEPTABLE_METHOD, -1, method == NO_ACCEPTABLE
                        ? (credentials ? "SOCKS5 server accepts neither no-auth nor username/password"
                                       : "SOCKS5 server requires authentication and no credentials are configured")
                        : "SOCKS5 server chose a method that was not offered (" + method + ")");
            }

            out.write(connectRequest);
            out.flush();
            byte[] reply = read(socket, in, 4, deadline);
            expectVersion(reply[0]);
            int code = reply[1] & 0xFF;
            if (code != 0) {
                throw new Socks5Exception(Socks5Exception.Failure.CONNECT_REFUSED, code,
                        "SOCKS5 server refused: " + Socks5Exception.describeReply(code) + " (" + code + ")");
            }
            int addressLength = switch (reply[3] & 0xFF) {
                case ATYP_IPV4 -> 4;
                case ATYP_IPV6 -> 16;
                case ATYP_DOMAIN -> read(socket, in, 1, deadline)[0] & 0xFF;
                default -> throw protocolError("unknown address type in reply: " + (reply[3] & 0xFF));
            };
            read(socket, in, addressLength + 2, deadline); // BND.ADDR and BND.PORT: not needed
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void authenticate(Socket socket, InputStream in, java.io.OutputStream out, Socks5Config socks,
                                     long deadline) throws IOException {
        byte[] user = socks.username().orElse("").getBytes(StandardCharsets.UTF_8);
        byte[] password = socks.password().map(Secret::value).orElse("").getBytes(StandardCharsets.UTF_8);
        if (user.length > 255 || password.length > 255) {
            throw new Socks5Exception(Socks5Exception.Failure.AUTHENTICATION_FAILED, -1,
                    "SOCKS5 username and password must be at most 255 bytes each");
        }
        var message = new ByteArrayOutputStream(3 + user.length + password.length);
        message.write(0x01); // RFC 1929 sub-negotiation version
        message.write(user.length);
        message.writeBytes(user);
        message.write(password.length);
        message.writeBytes(password);
        out.write(message.toByteArray());
        out.flush();
        byte[] answer = read(socket, in, 2, deadline);
        int status = answer[1] & 0xFF;
        if (status != 0) {
            throw new Socks5Exception(Socks5Exception.Failure.AUTHENTICATION_FAILED, status,
                    "SOCKS5 server rejected the username/password (status " + status + ")");
        }
    }

    /** VER CMD RSV ATYP DST.ADDR DST.PORT for a CONNECT to {@code host:port}. */
    static byte[] connectRequest(String host, int port) {
        var message = new ByteArrayOutputStream();
        message.writeBytes(new byte[] {VERSION, CMD_CONNECT, 0x00});
        String name = unbracket(host);
        if (IPV4.matcher(name).matches()) {
            message.write(ATYP_IPV4);
            for (String part : name.split("\\.")) {
                message.write(Integer.parseInt(part));
            }
        } else if (name.indexOf(':') >= 0) {
            byte[] address;
            try {
                address = Inet6Address.ofLiteral(name).getAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IPv6 literal: " + host, e);
            }
            message.write(ATYP_IPV6);
            message.writeBytes(address);
        } else {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII); // IDNs arrive already in punycode
            if (bytes.length == 0 || bytes.length > 255) {
                throw new IllegalArgumentException("host name must be 1 to 255 characters: " + host);
            }
            message.write(ATYP_DOMAIN);
            message.write(bytes.length);
            message.writeBytes(bytes);
        }
        message.write(port >>> 8);
        message.write(port & 0xFF);
        return message.toByteArray();
    }

    static String unbracket(String host) {
        return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
    }

    private static byte[] read(Socket socket, InputStream in, int length, long deadline) throws IOException {
        byte[] buffer = new byte[length];
        int filled = 0;
        while (filled < length) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buffer, filled, length - filled);
            if (n < 0) {
                throw new EOFException("SOCKS5 server closed the connection during the handshake");
            }
            filled += n;
        }
        return buffer;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
        if (left <= 0) {
            throw new SocketTimeoutException("SOCKS5 handshake timed out");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private static void expectVersion(byte version) throws Socks5Exception {
        if (version != VERSION) {
            throw protocolError("not a SOCKS5 server (version byte " + (version & 0xFF) + ")");
        }
    }

    private static Socks5Exception protocolError(String message) {
        return new Socks5Exception(Socks5Exception.Failure.PROTOCOL_ERROR, -1, message);
    }
}
