package dev.sprox.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sprox.config.LoadResult;
import dev.sprox.config.Problem;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The outcome of {@code sprox validate --format json}, as one JSON object. */
final class ValidationJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ValidationJson() {}

    static String of(LoadResult result) {
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            switch (result) {
                case LoadResult.Valid valid -> {
                    json.writeBooleanField("valid", true);
                    json.writeStringField("config", valid.config().origin());
                    json.writeNumberField("listeners", valid.config().listeners().size());
                    json.writeNumberField("routes", valid.config().routes().size());
                }
                case LoadResult.Invalid invalid -> {
                    json.writeBooleanField("valid", false);
                    json.writeArrayFieldStart("problems");
                    for (Problem problem : invalid.problems()) {
                        write(json, problem);
                    }
                    json.writeEndArray();
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        return text.toString();
    }

    private static void write(JsonGenerator json, Problem problem) throws IOException {
        json.writeStartObject();
        json.writeStringField("file", problem.where().file());
        json.writeNumberField("line", problem.where().line());
        json.writeNumberField("column", problem.where().column());
        json.writeStringField("path", problem.path());
        json.writeStringField("message", problem.message());
        json.writeEndObject();
    }
}
