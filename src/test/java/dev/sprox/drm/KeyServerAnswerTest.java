package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.security.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Reading a key server's ClearKey key set. */
class KeyServerAnswerTest {
    private static final Kid KID_A = Kid.parse(TestSecrets.KID_A).orElseThrow();
    private static final Kid KID_B = Kid.parse(TestSecrets.KID_B).orElseThrow();

    private static KeyServerClient.Fetched read(Kid kid, String json) {
        return KeyServerClient.keyFor(kid, json.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void takesTheEntryForTheKidAskedFor() {
        String json = "{\"type\":\"temporary\",\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + KID_B.base64Url() + "\",\"k\":\""
                + TestSecrets.CONTENT_KEY_B_BASE64URL + "\"},{\"k\":\"" + TestSecrets.CONTENT_KEY_A_BASE64URL
                + "\",\"kid\":\"" + KID_A.base64Url() + "\",\"extra\":{\"x\":[1]}}]}";
        var found = assertInstanceOf(KeyServerClient.Fetched.Found.class, read(KID_A, json));
        assertArrayEquals(HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_A), found.key().material());
    }

    @Test
    void aKeySetWithoutTheKidIsNotFound() {
        assertInstanceOf(KeyServerClient.Fetched.NotFound.class, read(KID_A, "{\"keys\":[]}"));
        assertInstanceOf(KeyServerClient.Fetched.NotFound.class, read(KID_A, "{\"keys\":[{\"kid\":\""
                + KID_B.base64Url() + "\",\"k\":\"" + TestSecrets.CONTENT_KEY_B_BASE64URL + "\"}]}"));
    }

    @Test
    void somethingElseIsMalformed() {
        String badKey = "{\"keys\":[{\"kid\":\"" + KID_A.base64Url() + "\",\"k\":\"c2hvcnQ\"}]}";
        for (String json : new String[] {"", "[]", "{\"keys\":[", "not json", badKey}) {
            assertEquals(new KeyServerClient.Fetched.Failed("malformed"), read(KID_A, json), json);
        }
    }
}
