package dev.sprox.dash;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a dynamic MPD changes: its {@code minimumUpdatePeriod} (ISO/IEC 23009-1 §5.3.1.2). A static MPD, or a
 * dynamic one without that attribute, names none. Read from the MPD element's start tag alone, so deciding how
 * long to reuse an answer costs no parse.
 */
public final class MpdUpdateInterval {
    private static final Pattern MPD_TAG = Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?MPD[\\s>][^>]*", Pattern.DOTALL);
    private static final Pattern DYNAMIC = Pattern.compile("\\stype\\s*=\\s*[\"']\\s*dynamic\\s*[\"']");
    private static final Pattern PERIOD = Pattern.compile("\\sminimumUpdatePeriod\\s*=\\s*[\"']([^\"']{1,64})[\"']");

    private MpdUpdateInterval() {}

    public static Optional<Duration> of(String mpd) {
        Matcher tag = MPD_TAG.matcher(mpd);
        if (!tag.find() || !DYNAMIC.matcher(tag.group()).find()) {
            return Optional.empty();
        }
        Matcher period = PERIOD.matcher(tag.group());
        if (!period.find()) {
            return Optional.empty();
        }
        try {
            Duration interval = IsoTime.duration(period.group(1), 0);
            return interval.isNegative() ? Optional.empty() : Optional.of(interval);
        } catch (MpdException e) {
            return Optional.empty();
        }
    }
}
