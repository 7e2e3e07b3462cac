package dev.sprox.config;

/** Where a configuration value was written: file, 1-based line and column. */
public record Source(String file, int line, int column) {

    public static Source of(String file) {
        return new Source(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
