package dev.sprox.drm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sprox.http.Response;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.server.ServeGroup;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code GET /keys} (group {@code admin}): the KIDs the store holds now, where each came from and when it
 * expires. Never key material: the listing has none to give.
 */
public final class KeysEndpoint {
    public static final String PATH = "/keys";
    private static final JsonFactory JSON = new JsonFactory();

    private KeysEndpoint() {}

    /** @param keys where this configuration's keys are found */
    public static Endpoint endpoint(KeyLookup keys) {
        return Endpoint.get(ServeGroup.ADMIN, PATH, (request, context) -> handle(keys));
    }

    static Response handle(KeyLookup keys) {
        var text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeArrayFieldStart("keys");
            for (ContentKeyStore.Listing listing : keys.list()) {
                json.writeStartObject();
                json.writeStringField("kid", listing.kid().hex());
                json.writeStringField("kid_uuid", listing.kid().uuid());
                json.writeStringField("source", listing.source().label());
                if (listing.expires().isPresent()) {
                    json.writeStringField("expires_at", listing.expires().get().toString());
                } else {
                    json.writeNullField("expires_at");
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        return Response.text(200, "application/json", text + "\n").withHeader("Cache-Control", "no-store");
    }
}
