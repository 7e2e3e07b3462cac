package dev.sprox.pipeline;

import dev.sprox.security.Redaction;
import dev.sprox.telemetry.ExchangeNotes;
import dev.sprox.telemetry.Tracing;
import java.net.InetAddress;

/**
 * What the pipeline worked out about a request before its handler runs, what every handler may use of the
 * request's configuration generation, and the notes the handler leaves for the access log.
 *
 * @param client     the client's address: the peer, or what a trusted proxy said the client was
 * @param generation the configuration generation the request runs under (1 at start-up, up with each reload)
 */
public record RequestContext(String requestId, InetAddress client, ExchangeNotes notes, long generation,
                             Tracing tracing, Redaction redaction) {}
