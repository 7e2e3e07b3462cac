package dev.sprox.drm;

/** Where a key in the store came from; its name is how {@code /keys} and the metrics spell it. */
public enum KeySource {
    /** {@code drm.keys}: lives as long as the configuration that named it. */
    STATIC("static"),
    /** Answered by {@code drm.key_server}; lives {@code cache_ttl_s}. */
    KEY_SERVER("key_server");

    private final String label;

    KeySource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
