package dev.sprox.runtime;

import java.util.List;

/** sprox could not start: the configuration is invalid or a listener could not be bound. */
public final class StartupFailed extends Exception {
    private final List<String> problems;

    public StartupFailed(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
