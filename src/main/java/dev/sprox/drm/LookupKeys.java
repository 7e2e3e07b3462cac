package dev.sprox.drm;

import dev.sprox.telemetry.Tracing;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one decrypted stream needs, from the snapshot's {@link KeyLookup}. {@link #require} looks up every
 * track's KID before a response starts, so a missing key is a clear refusal rather than a stream cut short; a KID
 * met later (a {@code seig} key rotation) is looked up when met.
 */
public final class LookupKeys implements FragmentDecryptor.Keys, AutoCloseable {
    private final KeyLookup lookup;
    private final Tracing tracing;
    private final Map<Kid, ContentKey> ready = new HashMap<>();

    public LookupKeys(KeyLookup lookup, Tracing tracing) {
        this.lookup = lookup;
        this.tracing = tracing;
    }

    /** Looks up the KID of every protected track now. */
    public void require(Collection<TrackProtection> tracks) throws DecryptException {
        for (TrackProtection track : tracks) {
            if (track.defaults().isProtected()) {
                Kid kid = Kid.of(track.defaults().kid());
                if (!ready.containsKey(kid)) {
                    ready.put(kid, find(kid));
                }
            }
        }
    }

    @Override
    public ContentKey key(Kid kid) throws DecryptException {
        ContentKey key = ready.remove(kid);
        return key != null ? key : find(kid);
    }

    private ContentKey find(Kid kid) throws DecryptException {
        return switch (lookup.find(kid, tracing)) {
            case KeyLookup.Lookup.Found found -> found.key();
            case KeyLookup.Lookup.NotFound notFound -> throw new DecryptException(DecryptException.Reason.MISSING_KEY,
                    Optional.of(kid), "no key for KID " + kid.hex());
            case KeyLookup.Lookup.Unavailable unavailable -> throw new DecryptException(
                    DecryptException.Reason.KEY_UNAVAILABLE, Optional.of(kid), "key server could not say for KID "
                    + kid.hex() + ": " + unavailable.reason());
        };
    }

    /** Wipes keys looked up but never handed to a decryptor. */
    @Override
    public void close() {
        ready.values().forEach(ContentKey::close);
        ready.clear();
    }
}
