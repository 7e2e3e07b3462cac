package dev.sprox.config;

import dev.sprox.security.Redaction;

/** A configured secret. Its text is only reachable through {@link #value()}: printing it shows nothing. */
public record Secret(String value) {

    @Override
    public String toString() {
        return Redaction.MASK;
    }
}
