package dev.sprox.server;

import java.time.Duration;

/**
 * Limits of the HTTP/1.1 server and how long a shutdown may wait.
 *
 * @param headerTimeout  the whole request head must arrive within this (slow senders get 408)
 * @param idleTimeout    how long a kept-alive connection may wait for its next request
 * @param bodyTimeout    the longest pause between two pieces of a request body
 * @param shutdownGrace  how long SIGTERM waits for in-flight requests
 * @param sendTimeout    the longest a write to a client may stay blocked (a client that stopped reading)
 */
public record ServerSettings(int maxConnections, Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout,
                             int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
                             Duration shutdownGrace, Duration sendTimeout) {

    public static final ServerSettings DEFAULT = new ServerSettings(10_000, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(30), 8 * 1024, 32 * 1024, 100, 16L * 1024 * 1024,
            Duration.ofSeconds(30), Duration.ofSeconds(60));
}
