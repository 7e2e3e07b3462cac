package dev.sprox.security;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Host names whose addresses are pinned while admissions are open. Keyed by name, not by thread: the JDK's
 * HttpClient resolves on its own threads. The same name may be admitted by several requests (and, across a reload,
 * by guards with different {@code allow_cidrs}) at once; the connection being made may belong to any of them, so a
 * lookup answers only addresses that every open pin of that name permits.
 */
final class DnsPins {
    private static final ConcurrentHashMap<String, List<Pin>> PINS = new ConcurrentHashMap<>();

    private DnsPins() {}

    /** @param permitted the policy of the guard that checked {@code addresses} */
    record Pin(List<InetAddress> addresses, Predicate<InetAddress> permitted) {}

    /** Pins {@code name} until the returned action runs. */
    static Runnable pin(String name, Pin pin) {
        String key = normalise(name);
        PINS.compute(key, (k, pins) -> {
            var updated = pins == null ? new ArrayList<Pin>() : new ArrayList<>(pins);
            updated.add(pin);
            return List.copyOf(updated);
        });
        return () -> PINS.computeIfPresent(key, (k, pins) -> {
            var updated = new ArrayList<>(pins);
            updated.remove(pin);
            return updated.isEmpty() ? null : List.copyOf(updated);
        });
    }

    /** Empty when the name is not pinned (ask DNS); otherwise the addresses to answer, possibly none. */
    static Optional<List<InetAddress>> lookup(String name) {
        List<Pin> pins = PINS.get(normalise(name));
        if (pins == null) {
            return Optional.empty();
        }
        var addresses = new LinkedHashSet<InetAddress>();
        pins.forEach(p -> addresses.addAll(p.addresses()));
        addresses.removeIf(a -> !pins.stream().allMatch(p -> p.permitted().test(a)));
        return Optional.of(List.copyOf(addresses));
    }

    /** Names compare without case and without the root's trailing dot, as DNS compares them. */
    static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
