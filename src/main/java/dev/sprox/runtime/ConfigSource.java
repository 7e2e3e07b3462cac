package dev.sprox.runtime;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.LoadResult;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the configuration comes from: {@code -c DIR}, else {@code SPROX_CONFIG}, else the embedded default.
 * The working directory is never searched, so a process started elsewhere cannot pick up another config.
 */
public record ConfigSource(Optional<Path> location, UnaryOperator<String> environment) {

    public static final String ENV_VARIABLE = "SPROX_CONFIG";

    public static ConfigSource resolve(Path option, UnaryOperator<String> environment) {
        if (option != null) {
            return new ConfigSource(Optional.of(option), environment);
        }
        String fromEnvironment = environment.apply(ENV_VARIABLE);
        return new ConfigSource(fromEnvironment == null || fromEnvironment.isBlank()
                ? Optional.empty() : Optional.of(Path.of(fromEnvironment)), environment);
    }

    /** Loads (again) from the same place; the embedded default is always valid. */
    public LoadResult load() {
        return location.map(path -> new ConfigLoader(environment).load(path))
                .orElseGet(() -> new LoadResult.Valid(ConfigLoader.embeddedDefault()));
    }
}
