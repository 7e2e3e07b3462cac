package dev.sprox.drm;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.security.UrlSigner;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Signed URLs of the ClearKey licence endpoint. The signature covers the expiry and, when the URL names them in
 * {@code kids=}, the KIDs it may fetch: a licence URL handed to one player for one title cannot be used to
 * harvest the keys of another. Without {@code kids=} the URL opens any key the store holds, until it expires.
 */
public final class LicenceUrls {
    public static final String KIDS = "kids";
    /** The most KIDs one URL may bind, and one licence request may ask for. */
    public static final int MAX_KIDS = 64;
    private static final String RESOURCE = "sprox:clearkey";

    private LicenceUrls() {}

    /**
     * {@code /keys/clearkey?kids=...&exp=...&sig=...}, or without {@code kids=} when {@code kids} is empty.
     *
     * @param kids the KIDs the URL may fetch; empty for any
     */
    public static String signed(Collection<Kid> kids, UrlSigner signer, long expiresEpochSecond) {
        Optional<String> bound = kids.isEmpty() ? Optional.empty() : Optional.of(canonical(kids));
        String sig = signer.sign(resource(bound), List.of(), expiresEpochSecond);
        return ClearKeyEndpoint.PATH + "?" + bound.map(b -> KIDS + "=" + b + "&").orElse("")
                + UrlSigner.EXP + "=" + expiresEpochSecond + "&" + UrlSigner.SIG + "=" + sig;
    }

    /** What the signature of a URL with this {@code kids=} value (or none) was made over. */
    static String resource(Optional<String> canonicalKids) {
        return canonicalKids.map(k -> RESOURCE + "?" + KIDS + "=" + k).orElse(RESOURCE);
    }

    /**
     * The KIDs of a {@code kids=} value: comma-separated, each in any form {@link Kid#parse} reads.
     *
     * @throws RequestRejected 400 for a KID that is not one, or too many
     */
    static List<Kid> parseKids(String text) {
        var kids = new TreeSet<Kid>(java.util.Comparator.comparing(Kid::hex));
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_KIDS) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "kids names more than " + MAX_KIDS + " KIDs");
        }
        for (String part : parts) {
            kids.add(Kid.parse(part).orElseThrow(() -> new RequestRejected(RequestError.BAD_PARAMETER,
                    "kids holds something that is not a KID")));
        }
        return List.copyOf(kids);
    }

    /** Sorted lower-case hex, comma-separated: one text for one set of KIDs, however the URL wrote them. */
    static String canonical(Collection<Kid> kids) {
        return String.join(",", kids.stream().map(Kid::hex).sorted().distinct().toList());
    }
}
