package dev.sprox.runtime;

import dev.sprox.config.SproxConfig;
import java.time.Instant;

/**
 * Everything a request needs, built from one configuration and never changed: a request reads the current
 * snapshot once and uses it to the end, while a reload builds the next one beside it.
 *
 * @param generation counts from 1 at start-up and goes up with each successful reload
 */
public record Snapshot(long generation, SproxConfig config, Instant loadedAt) {}
