package dev.sprox.upstream;

/** What a route's upstream client reports to the metrics, as it happens. */
@FunctionalInterface
public interface UpstreamEvents {
    /** Reports nothing. */
    UpstreamEvents NONE = () -> { };

    /** A GET/HEAD was sent again after a transport error. */
    void retried();

    /** The origin of a body whose client paused was let go. */
    default void released() {
    }

    /** A paused client read on: the rest of its body came ({@code whole}), or the body had to be cut. */
    default void resumed(boolean whole) {
    }
}
