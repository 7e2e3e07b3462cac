package dev.sprox.tls;

import java.time.Instant;
import java.util.Map;

/** What TLS listeners report, for metrics; labels are listener ids, results and configured host names only. */
public interface TlsObserver {

    /** A TLS listener exists: its meters are registered, so alerts see zero rather than nothing. */
    void listenerSecured(String listener);

    /** @param nanos from the start of the handshake to its end */
    void handshake(String listener, HandshakeResult result, long nanos);

    /** A changed certificate was installed ({@code true}) or refused, leaving the old one serving. */
    void certificatesReloaded(String listener, boolean installed);

    /** The certificates now served, as each configured host's expiry; empty when the listener closed. */
    void certificatesServed(String listener, Map<String, Instant> expiryByHost);

    TlsObserver NONE = new TlsObserver() {
        @Override
        public void listenerSecured(String listener) {}

        @Override
        public void handshake(String listener, HandshakeResult result, long nanos) {}

        @Override
        public void certificatesReloaded(String listener, boolean installed) {}

        @Override
        public void certificatesServed(String listener, Map<String, Instant> expiryByHost) {}
    };
}
