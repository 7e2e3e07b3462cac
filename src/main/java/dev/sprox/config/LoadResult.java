package dev.sprox.config;

import java.util.List;

/** The outcome of loading a configuration: a valid one, or every problem that keeps it from being valid. */
public sealed interface LoadResult {

    record Valid(SproxConfig config) implements LoadResult {}

    record Invalid(List<Problem> problems) implements LoadResult {}
}
