package dev.sprox.hls;

/**
 * Decides what text replaces a URI of a playlist, typically a proxy URL carrying {@code uri.absolute()}.
 * The result replaces the written text exactly: inside an attribute it must not hold a double quote, CR or LF;
 * on a URI line it must not be blank, start with '#' or hold CR or LF.
 */
@FunctionalInterface
public interface UriMapper {
    String map(PlaylistUri uri);
}
