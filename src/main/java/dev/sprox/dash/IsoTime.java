package dev.sprox.dash;

import dev.sprox.hls.Abbreviation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The XML Schema time types MPDs use: {@code xs:duration} and {@code xs:dateTime}. */
final class IsoTime {
    private static final Pattern DURATION = Pattern.compile(
            "(-)?P(?:(\\d{1,9})Y)?(?:(\\d{1,9})M)?(?:(\\d{1,9})D)?"
                    + "(?:T(?:(\\d{1,9})H)?(?:(\\d{1,9})M)?(?:(\\d{1,12}(?:\\.\\d{1,12})?)S)?)?");

    private IsoTime() {}

    /** Years and months have no fixed length; as MPD durations they are taken as 365 and 30 days. */
    static Duration duration(String text, int line) throws MpdException {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || text.strip().endsWith("T") || text.strip().equals("P")) {
            throw new MpdException(line, "not an xs:duration: \"" + Abbreviation.of(text) + "\"");
        }
        long days = part(m, 2) * 365 + part(m, 3) * 30 + part(m, 4);
        Duration duration = Duration.ofDays(days).plusHours(part(m, 5)).plusMinutes(part(m, 6));
        if (m.group(7) != null) {
            BigDecimal seconds = new BigDecimal(m.group(7));
            duration = duration.plusNanos(seconds.movePointRight(9).longValue());
        }
        return m.group(1) != null ? duration.negated() : duration;
    }

    /** A dateTime without a zone is taken as UTC, as DASH-IF guidelines require live MPDs to write it anyway. */
    static Instant dateTime(String text, int line) throws MpdException {
        String value = text.strip();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new MpdException(line, "not an xs:dateTime: \"" + Abbreviation.of(text) + "\"");
            }
        }
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
