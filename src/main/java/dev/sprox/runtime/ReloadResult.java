package dev.sprox.runtime;

import java.util.List;

/** What a reload did: the new generation now serving, or why the old one still is. */
public sealed interface ReloadResult {

    record Reloaded(long generation) implements ReloadResult {}

    record Kept(long generation, List<String> problems) implements ReloadResult {}
}
