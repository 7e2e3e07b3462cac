package dev.sprox.pipeline;

import dev.sprox.runtime.Snapshot;
import dev.sprox.telemetry.ExchangeNotes;
import java.net.InetAddress;

/**
 * What the pipeline worked out about a request before its handler runs, and the notes the handler leaves
 * for the access log.
 *
 * @param client the client's address: the peer, or what a trusted proxy said the client was
 */
public record RequestContext(Snapshot snapshot, String requestId, InetAddress client, ExchangeNotes notes) {}
