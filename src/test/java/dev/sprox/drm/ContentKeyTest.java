package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentKeyTest {

    @Test
    void readsHexAndBase64UrlAsTheSameBytes() {
        byte[] expected = HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_A);
        assertArrayEquals(expected, ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow().material());
        assertArrayEquals(expected, ContentKey.parse(TestSecrets.CONTENT_KEY_A_BASE64URL).orElseThrow().material());
        assertArrayEquals(expected,
                ContentKey.parse(TestSecrets.CONTENT_KEY_A_BASE64URL + "==").orElseThrow().material());
    }

    @Test
    void refusesOtherLengthsAndAlphabets() {
        assertEquals(Optional.empty(), ContentKey.parse(TestSecrets.CONTENT_KEY_A + "00"));
        assertEquals(Optional.empty(), ContentKey.parse("PB+Knit9TG4PWhs9Xn/aLA"));
        assertEquals(Optional.empty(), ContentKey.parse("secret"));
    }

    @Test
    void writesBase64UrlIntoTheCallersArray() {
        ContentKey key = ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow();
        byte[] target = new byte[30];
        assertEquals(26, key.writeBase64Url(target, 4));
        assertEquals(TestSecrets.CONTENT_KEY_A_BASE64URL, new String(target, 4, 22, StandardCharsets.US_ASCII));
    }

    @Test
    void decodesBase64UrlCharactersInPlace() {
        char[] text = ("xx" + TestSecrets.CONTENT_KEY_B_BASE64URL + "yy").toCharArray();
        assertArrayEquals(HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_B),
                ContentKey.decodeBase64Url(text, 2, 22).orElseThrow().material());
        assertEquals(Optional.empty(), ContentKey.decodeBase64Url(text, 2, 21));
        // The last character's four low bits are padding: any other value is another text for the same key.
        char[] nonCanonical = TestSecrets.CONTENT_KEY_B_BASE64URL.replace("Og", "Oh").toCharArray();
        assertEquals(Optional.empty(), ContentKey.decodeBase64Url(nonCanonical, 0, 22));
    }

    @Test
    void copiesAreIndependentAndClosingWipes() {
        ContentKey key = ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow();
        ContentKey copy = key.copy();
        key.close();
        assertArrayEquals(new byte[16], key.material());
        assertArrayEquals(HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_A), copy.material());
    }

    @Test
    void neverPrintsItsBytes() {
        ContentKey key = ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow();
        assertEquals("REDACTED", key.toString());
        assertTrue(!String.valueOf(key).contains(TestSecrets.CONTENT_KEY_A));
    }
}
