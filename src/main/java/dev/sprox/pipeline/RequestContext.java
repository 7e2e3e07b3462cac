package dev.sprox.pipeline;

import dev.sprox.runtime.Snapshot;
import java.net.InetAddress;

/**
 * What the pipeline worked out about a request before its endpoint runs.
 *
 * @param client the client's address: the peer, or what a trusted proxy said the client was
 */
public record RequestContext(Snapshot snapshot, String requestId, InetAddress client) {}
