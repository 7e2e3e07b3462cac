package dev.sprox.drm;

import dev.sprox.mp4.Box;
import dev.sprox.mp4.EncryptionParameters;
import dev.sprox.mp4.Mp4Exception;
import dev.sprox.mp4.SchemeInfo;
import dev.sprox.mp4.TrackHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes the protection out of a {@code moov} (ISO/IEC 23001-7 §8; ISO/IEC 14496-12 §8.12): each {@code encv} or
 * {@code enca} sample entry gets back the format its {@code frma} names and loses its {@code sinf}, and
 * {@code pssh} boxes go, so a player sees a clear movie. What was removed is kept as the {@link TrackProtection}
 * of each protected track, which the fragments need to be decrypted.
 */
public final class ProtectedMovie {
    private static final Set<String> PROTECTED_ENTRIES = Set.of("encv", "enca");

    /** The clear {@code moov}, and the protection of every track that had one, by track id. */
    public record Unprotected(Box.Container moov, Map<Long, TrackProtection> tracks) {}

    private ProtectedMovie() {}

    public static Unprotected unprotect(Box.Container moov) throws Mp4Exception, DecryptException {
        var tracks = new HashMap<Long, TrackProtection>();
        var defaultSizes = defaultSampleSizes(moov);
        var children = new ArrayList<Box>();
        for (Box child : moov.children()) {
            if (child.type().equals("pssh")) {
                continue;
            }
            if (child instanceof Box.Container trak && trak.type().equals("trak")) {
                long trackId = TrackHeader.trackId(trak.leaf("tkhd").orElseThrow(() -> malformed("trak without tkhd")));
                var found = new ArrayList<TrackProtection>();
                children.add(unprotect(trak, trackId, defaultSizes.getOrDefault(trackId, -1L), found));
                if (!found.isEmpty()) {
                    tracks.put(trackId, found.getFirst());
                }
            } else {
                children.add(child);
            }
        }
        return new Unprotected(moov.withChildren(children), Map.copyOf(tracks));
    }

    private static Box.Container unprotect(Box.Container box, long trackId, long defaultSize,
                                           List<TrackProtection> found) throws Mp4Exception, DecryptException {
        var children = new ArrayList<Box>();
        for (Box child : box.children()) {
            if (child instanceof Box.Container entry && PROTECTED_ENTRIES.contains(entry.type())
                    && box.type().equals("stsd")) {
                children.add(clearEntry(entry, trackId, defaultSize, found));
            } else if (child instanceof Box.Container inner) {
                children.add(unprotect(inner, trackId, defaultSize, found));
            } else {
                children.add(child);
            }
        }
        return box.withChildren(children);
    }

    private static Box.Container clearEntry(Box.Container entry, long trackId, long defaultSize,
                                            List<TrackProtection> found) throws Mp4Exception, DecryptException {
        Box.Container sinf = entry.container("sinf").orElseThrow(() -> malformed(entry.type() + " without sinf"));
        String format = SchemeInfo.originalFormat(sinf.leaf("frma").orElseThrow(() -> malformed("sinf without frma")));
        String schemeType = SchemeInfo.schemeType(sinf.leaf("schm").orElseThrow(() -> malformed("sinf without schm")));
        CencScheme scheme = CencScheme.of(schemeType).orElseThrow(() -> new DecryptException(
                DecryptException.Reason.UNSUPPORTED, Optional.empty(), "protection scheme " + schemeType
                + " is not Common Encryption"));
        byte[] tenc = sinf.container("schi").flatMap(schi -> schi.leaf("tenc"))
                .orElseThrow(() -> malformed("sinf without schi/tenc"));
        found.add(new TrackProtection(trackId, scheme, EncryptionParameters.ofTenc(tenc), defaultSize,
                SampleCheck.of(format, entry)));
        return entry.withType(format).without(Set.of("sinf"));
    }

    private static Map<Long, Long> defaultSampleSizes(Box.Container moov) throws Mp4Exception {
        var sizes = new HashMap<Long, Long>();
        Optional<Box.Container> mvex = moov.container("mvex");
        if (mvex.isPresent()) {
            for (Box trex : mvex.get().all("trex")) {
                if (trex instanceof Box.Leaf leaf) {
                    TrackHeader.TrackDefaults defaults = TrackHeader.trackDefaults(leaf.payload());
                    sizes.put(defaults.trackId(), defaults.sampleSize());
                }
            }
        }
        return sizes;
    }

    private static Mp4Exception malformed(String what) {
        return new Mp4Exception(Mp4Exception.Reason.MALFORMED, what);
    }
}
