package dev.sprox.probe;

import java.net.URI;
import java.util.List;

/** Everything one probe checked; playback would work only when every check passed. */
public record ProbeReport(URI url, List<Check> checks) {

    public ProbeReport {
        checks = List.copyOf(checks);
    }

    public boolean playable() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    public long failures() {
        return checks.stream().filter(c -> !c.passed()).count();
    }
}
