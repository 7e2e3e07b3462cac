package dev.sprox.direct;

import dev.sprox.hls.DecryptingPlaylist;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.security.UrlSigner;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decrypting mode's parameters of a direct URL. Every one is a signed parameter ({@link UrlSigner}): a client
 * can neither turn decryption on or off, nor point it at another init segment or range, nor swap the keys.
 *
 * @param mode      {@code decrypt}: absent, {@code 1} (a playlist whose media come back decrypted), {@code init} or
 *                  {@code segment}
 * @param init      {@code init}: for a segment, the init segment that declares its protection
 * @param range     {@code range}: the bytes of the origin's resource this init segment or segment is
 * @param initRange {@code init_range}: the bytes of {@code init} that are the init segment
 * @param keys      {@code keys}: a sealed token of content keys the integrator passed ({@link UrlSigner#seal})
 */
public record Decryption(Mode mode, Optional<URI> init, Optional<DecryptingPlaylist.Range> range,
                         Optional<DecryptingPlaylist.Range> initRange, Optional<String> keys) {
    public static final Decryption NONE = new Decryption(Mode.NONE, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
    static final String MODE = "decrypt";
    static final String INIT = "init";
    static final String RANGE = "range";
    static final String INIT_RANGE = "init_range";
    static final String KEYS = "keys";
    private static final Pattern RANGE_TEXT = Pattern.compile("(\\d{1,15})-(\\d{1,15})");

    public enum Mode {
        NONE(""), PLAYLIST("1"), INIT("init"), SEGMENT("segment");

        final String value;

        Mode(String value) {
            this.value = value;
        }
    }

    /** A playlist that decrypts, with the integrator's sealed keys if any. */
    public static Decryption playlist(Optional<String> keys) {
        return new Decryption(Mode.PLAYLIST, Optional.empty(), Optional.empty(), Optional.empty(), keys);
    }

    public boolean requested() {
        return mode != Mode.NONE;
    }

    /** The same keys for an init segment at {@code range}. */
    Decryption forInit(Optional<DecryptingPlaylist.Range> at) {
        return new Decryption(Mode.INIT, Optional.empty(), at, Optional.empty(), keys);
    }

    /** The same keys for a segment at {@code at}, protected as {@code initUrl} (at {@code initAt}) says. */
    Decryption forSegment(Optional<DecryptingPlaylist.Range> at, URI initUrl,
                          Optional<DecryptingPlaylist.Range> initAt) {
        return new Decryption(Mode.SEGMENT, Optional.of(initUrl), at, initAt, keys);
    }

    /** As the URL carries them and the signature covers them, in this order. */
    List<UrlSigner.Parameter> signed() {
        if (!requested()) {
            return List.of();
        }
        var parameters = new ArrayList<UrlSigner.Parameter>(5);
        parameters.add(new UrlSigner.Parameter(MODE, mode.value));
        init.ifPresent(url -> parameters.add(new UrlSigner.Parameter(INIT, Destination.canonical(url).toString())));
        range.ifPresent(r -> parameters.add(new UrlSigner.Parameter(RANGE, text(r))));
        initRange.ifPresent(r -> parameters.add(new UrlSigner.Parameter(INIT_RANGE, text(r))));
        keys.ifPresent(token -> parameters.add(new UrlSigner.Parameter(KEYS, token)));
        return parameters;
    }

    /**
     * Read from a request's query; {@link #NONE} without {@code decrypt}, whatever else it holds.
     *
     * @throws RequestRejected 400 for a value that is not one of these parameters', or one given twice
     */
    static Decryption parse(List<QueryParameters.Parameter> query) {
        Optional<String> mode = single(query, MODE);
        if (mode.isEmpty()) {
            // Without decrypt these names mean nothing to sprox: an unencoded d's own query may hold them.
            return NONE;
        }
        Optional<String> init = single(query, INIT);
        Optional<String> range = single(query, RANGE);
        Optional<String> initRange = single(query, INIT_RANGE);
        Optional<String> keys = single(query, KEYS);
        Mode chosen = switch (mode.get()) {
            case "1" -> Mode.PLAYLIST;
            case "init" -> Mode.INIT;
            case "segment" -> Mode.SEGMENT;
            default -> throw refused("decrypt must be 1");
        };
        if ((chosen == Mode.SEGMENT) != init.isPresent()) {
            throw refused("init goes with decrypt=segment, and only with it");
        }
        if (keys.isPresent() && (keys.get().length() > UrlSigner.MAX_SEALED_CHARS
                || UrlSigner.sealedId(keys.get()).equals("-"))) {
            throw refused("keys is not a sealed key token");
        }
        return new Decryption(chosen, init.map(Destination::parse), range.map(Decryption::range),
                initRange.map(Decryption::range), keys);
    }

    private static Optional<String> single(List<QueryParameters.Parameter> query, String name) {
        List<String> values = query.stream().filter(p -> p.name().equals(name)).map(QueryParameters.Parameter::value)
                .toList();
        if (values.size() > 1) {
            throw refused("query parameter " + name + " is given more than once");
        }
        return values.stream().findFirst();
    }

    private static DecryptingPlaylist.Range range(String text) {
        Matcher matcher = RANGE_TEXT.matcher(text);
        if (matcher.matches()) {
            long first = Long.parseLong(matcher.group(1));
            long last = Long.parseLong(matcher.group(2));
            if (first <= last) {
                return new DecryptingPlaylist.Range(first, last - first + 1);
            }
        }
        throw refused("a range must be first-last, in bytes");
    }

    static String text(DecryptingPlaylist.Range range) {
        return range.offset() + "-" + range.last();
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
