package dev.sprox.probe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A probe report for people (one line per check, then a verdict) or for scripts (one JSON object). */
public final class ReportFormat {
    private static final JsonFactory JSON = new JsonFactory();

    private ReportFormat() {}

    public static String text(ProbeReport report) {
        var text = new StringBuilder();
        for (Check check : report.checks()) {
            text.append(check.passed() ? "ok   " : "FAIL ").append("%-8s".formatted(check.what()))
                    .append(check.uri()).append(": ").append(check.detail()).append('\n');
        }
        text.append(report.playable()
                ? "playable: all " + report.checks().size() + " checks passed\n"
                : "NOT playable: " + report.failures() + " of " + report.checks().size() + " checks failed\n");
        return text.toString();
    }

    public static String json(ProbeReport report) {
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("url", report.url().toString());
            json.writeBooleanField("playable", report.playable());
            json.writeArrayFieldStart("checks");
            for (Check check : report.checks()) {
                json.writeStartObject();
                json.writeStringField("check", check.what());
                json.writeStringField("uri", check.uri().toString());
                json.writeBooleanField("passed", check.passed());
                json.writeStringField("detail", check.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        return text.toString();
    }
}
