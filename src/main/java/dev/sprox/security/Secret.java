package dev.sprox.security;

/** A configured secret. Its text is only reachable through {@link #value()}: printing it shows nothing. */
public record Secret(String value) {

    @Override
    public String toString() {
        return Redaction.MASK;
    }
}
