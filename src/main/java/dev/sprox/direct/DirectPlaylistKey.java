package dev.sprox.direct;

import dev.sprox.http.Headers;
import java.net.URI;
import java.util.List;

/**
 * What makes two requests to the manifest endpoint the same answer: the destination (query included), the
 * headers sent to it (the allowlisted ones and the {@code h_} overrides; the requester's address and request id
 * are never forwarded), and what the rewritten URLs carry: the overrides, the decrypting mode and its keys, and the
 * expiry they are signed with.
 * Authorisation is decided per request before the key is made, so a shared answer only reaches requests that were
 * allowed the same destination.
 */
record DirectPlaylistKey(URI destination, List<Headers.Field> forwarded, HeaderOverrides overrides,
                         Decryption decryption, long expiresEpochSecond) {
    DirectPlaylistKey {
        forwarded = List.copyOf(forwarded);
    }
}
