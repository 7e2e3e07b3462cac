package dev.sprox.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in one pass, so an operator sees them all at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void add(Source where, String path, String message) {
        found.add(new Problem(where, path, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(found);
    }
}
