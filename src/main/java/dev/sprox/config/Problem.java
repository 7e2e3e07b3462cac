package dev.sprox.config;

/** One thing wrong with a configuration, precise enough for an operator to fix it without guessing. */
public record Problem(Source where, String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? where + " " + message : where + " " + path + ": " + message;
    }
}
