package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.UrlSigner.HeaderOverride;
import dev.sprox.security.UrlSigner.Verification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class UrlSignerTest {
    private static final String DESTINATION = "https://cdn.example.net/vod/a.m3u8?token=abc";
    private static final List<HeaderOverride> OVERRIDES = List.of(new HeaderOverride("Referer", "https://site/"),
            new HeaderOverride("user-agent", "Player/1"));
    private static final long NOW = 1_800_000_000L;
    private static final long EXP = NOW + 3600;

    private final UrlSigner signer = new UrlSigner(new Secret("signing-secret-for-tests"));

    private Verification verify(String destination, List<HeaderOverride> overrides, String exp, String sig) {
        return signer.verify(destination, overrides, exp, sig, NOW);
    }

    @Test
    void acceptsWhatItSignedUntilItExpires() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertEquals(new Verification.Valid(EXP), verify(DESTINATION, OVERRIDES, Long.toString(EXP), sig));
    }

    @Test
    void signatureIsBase64UrlWithoutPadding() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertEquals(43, sig.length());
        assertTrue(sig.matches("[A-Za-z0-9_-]+"), sig);
        assertEquals(32, Base64.getUrlDecoder().decode(sig).length);
    }

    @Test
    void expiredAtTheExpirySecond() {
        String sig = signer.sign(DESTINATION, OVERRIDES, NOW);
        assertEquals(new Verification.Expired(NOW), verify(DESTINATION, OVERRIDES, Long.toString(NOW), sig));
    }

    @Test
    void anotherDestinationIsTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class,
                verify(DESTINATION.replace("abc", "abd"), OVERRIDES, Long.toString(EXP), sig));
    }

    @Test
    void theDestinationIsComparedExactlyNotAfterNormalising() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class,
                verify(DESTINATION.replace("cdn.example.net", "CDN.example.net"), OVERRIDES, Long.toString(EXP), sig));
    }

    @Test
    void aLaterExpiryIsTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, OVERRIDES, Long.toString(EXP + 1), sig));
    }

    @Test
    void aForgedExpiredUrlIsTamperedNotExpired() {
        assertInstanceOf(Verification.Tampered.class,
                verify(DESTINATION, OVERRIDES, Long.toString(NOW - 10), "A".repeat(43)));
    }

    @Test
    void anAddedOverrideIsTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        var more = new java.util.ArrayList<>(OVERRIDES);
        more.add(new HeaderOverride("Origin", "https://evil/"));
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, more, Long.toString(EXP), sig));
    }

    @Test
    void aChangedOverrideValueIsTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        var changed = List.of(OVERRIDES.get(0), new HeaderOverride("user-agent", "Player/2"));
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, changed, Long.toString(EXP), sig));
    }

    @Test
    void aDroppedOverrideIsTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class,
                verify(DESTINATION, OVERRIDES.subList(0, 1), Long.toString(EXP), sig));
    }

    @Test
    void overrideOrderAndNameCaseDoNotMatter() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        var reordered = List.of(new HeaderOverride("User-Agent", "Player/1"), new HeaderOverride("REFERER", "https://site/"));
        assertEquals(new Verification.Valid(EXP), verify(DESTINATION, reordered, Long.toString(EXP), sig));
    }

    @Test
    void overrideValuesKeepTheirCase() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        var upper = List.of(OVERRIDES.get(0), new HeaderOverride("user-agent", "PLAYER/1"));
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, upper, Long.toString(EXP), sig));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // The same characters split differently between destination, name and value must not collide.
        assertNotEquals(signer.sign("https://a/x", List.of(new HeaderOverride("b", "c")), EXP),
                signer.sign("https://a/xb", List.of(new HeaderOverride("", "c")), EXP));
        assertNotEquals(signer.sign("https://a/", List.of(new HeaderOverride("referer", "ab")), EXP),
                signer.sign("https://a/", List.of(new HeaderOverride("referera", "b")), EXP));
        assertNotEquals(signer.sign("https://a/1", List.of(), 23),
                signer.sign("https://a/", List.of(), 123));
    }

    @Test
    void canonicalEncodingIsLengthPrefixed() {
        byte[] expected = {
            0, 0, 0, 9, 'h', 't', 't', 'p', 's', ':', '/', '/', 'a',
            0, 0, 0, 1,
            0, 0, 0, 1, 'r', 0, 0, 0, 1, 'V',
            0, 0, 0, 2, '4', '2'};
        assertArrayEquals(expected, UrlSigner.canonical("https://a", List.of(new HeaderOverride("R", "V")), 42));
    }

    @Test
    void anotherSecretIsTampered() {
        String sig = new UrlSigner(new Secret("another-secret")).sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, OVERRIDES, Long.toString(EXP), sig));
    }

    @Test
    void theRawSecretIsNotTheMacKey() throws Exception {
        Mac raw = Mac.getInstance("HmacSHA256");
        raw.init(new SecretKeySpec("signing-secret-for-tests".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String withRawKey = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.doFinal(UrlSigner.canonical(DESTINATION, OVERRIDES, EXP)));
        assertNotEquals(withRawKey, signer.sign(DESTINATION, OVERRIDES, EXP));
    }

    @Test
    void ephemeralSignersDisagreeWithEachOther() {
        String sig = UrlSigner.ephemeral().sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Tampered.class,
                UrlSigner.ephemeral().verify(DESTINATION, OVERRIDES, Long.toString(EXP), sig, NOW));
    }

    @Test
    void signsTheSameFromManyThreadsAtOnce() throws Exception {
        String expected = signer.sign(DESTINATION, OVERRIDES, EXP);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var results = threads.invokeAll(java.util.Collections.nCopies(2000,
                    () -> signer.sign(DESTINATION, OVERRIDES, EXP)));
            for (var result : results) {
                assertEquals(expected, result.get());
            }
        }
    }

    @Test
    void theProcessKeyIsOneKey() {
        String sig = UrlSigner.processKey().sign(DESTINATION, OVERRIDES, EXP);
        assertEquals(new Verification.Valid(EXP),
                UrlSigner.processKey().verify(DESTINATION, OVERRIDES, Long.toString(EXP), sig, NOW));
    }

    @Test
    void missingPartsAreMalformed() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        assertInstanceOf(Verification.Malformed.class, verify(DESTINATION, OVERRIDES, null, sig));
        assertInstanceOf(Verification.Malformed.class, verify(DESTINATION, OVERRIDES, Long.toString(EXP), null));
    }

    @Test
    void expiryInAnyOtherShapeIsMalformed() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        for (String exp : List.of("", "-1", "+" + EXP, "0" + EXP, EXP + ".0", "1e9", " " + EXP, "9".repeat(13),
                "１８００００３６００")) {
            assertInstanceOf(Verification.Malformed.class, verify(DESTINATION, OVERRIDES, exp, sig), exp);
        }
    }

    @Test
    void signatureInAnyOtherShapeIsMalformed() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        String exp = Long.toString(EXP);
        for (String bad : List.of("", sig + "=", sig.substring(1), sig + "A", sig.replace(sig.charAt(0), '+'),
                Base64.getEncoder().encodeToString(new byte[32]))) {
            assertInstanceOf(Verification.Malformed.class, verify(DESTINATION, OVERRIDES, exp, bad), bad);
        }
    }

    @Test
    void otherTrailingBitsInTheLastCharacterAreTampered() {
        String sig = signer.sign(DESTINATION, OVERRIDES, EXP);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // The last character carries 4 significant bits and 2 unused ones; only one spelling verifies.
        String sibling = sig.substring(0, 42) + alphabet.charAt(alphabet.indexOf(sig.charAt(42)) | 1);
        assertFalse(sibling.equals(sig));
        assertArrayEquals(Base64.getUrlDecoder().decode(sig), Base64.getUrlDecoder().decode(sibling));
        assertInstanceOf(Verification.Tampered.class, verify(DESTINATION, OVERRIDES, Long.toString(EXP), sibling));
    }

    @Test
    void refusesAnEmptySecretAndAnExpiryItCouldNotVerify() {
        assertThrows(IllegalArgumentException.class, () -> new UrlSigner(new Secret("")));
        assertThrows(IllegalArgumentException.class, () -> signer.sign(DESTINATION, OVERRIDES, -1));
        assertThrows(IllegalArgumentException.class, () -> signer.sign(DESTINATION, OVERRIDES, 1_000_000_000_000L));
    }

    private static final String BASE = "https://cdn.example.net/vod/1080p/";

    @Test
    void aPrefixTokenCarriesItsBaseOverridesAndExpiry() {
        String token = signer.signPrefix(BASE, OVERRIDES, EXP);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}"), token);
        var valid = assertInstanceOf(UrlSigner.PrefixVerification.Valid.class, signer.verifyPrefix(token, NOW));
        assertEquals(BASE, valid.base());
        assertEquals(List.of(new HeaderOverride("referer", "https://site/"), new HeaderOverride("user-agent",
                "Player/1")), valid.overrides());
        assertEquals(EXP, valid.expiresEpochSecond());
    }

    @Test
    void aPrefixTokenExpiresAtItsSecond() {
        assertEquals(new UrlSigner.PrefixVerification.Expired(NOW),
                signer.verifyPrefix(signer.signPrefix(BASE, OVERRIDES, NOW), NOW));
    }

    @Test
    void aPrefixTokenWithAnotherBaseOrMacIsTampered() {
        String token = signer.signPrefix(BASE, OVERRIDES, EXP);
        int dot = token.indexOf('.');
        String otherBase = Base64.getUrlEncoder().withoutPadding().encodeToString(
                UrlSigner.canonical("https://cdn.example.net/", OVERRIDES, EXP));
        assertInstanceOf(UrlSigner.PrefixVerification.Tampered.class,
                signer.verifyPrefix(otherBase + token.substring(dot), NOW));
        char last = token.charAt(token.length() - 1);
        assertInstanceOf(UrlSigner.PrefixVerification.Tampered.class, signer.verifyPrefix(
                token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'), NOW));
        assertInstanceOf(UrlSigner.PrefixVerification.Tampered.class, signer.verifyPrefix(
                new UrlSigner(new Secret("another-secret")).signPrefix(BASE, OVERRIDES, EXP), NOW));
    }

    @Test
    void aPrefixTokenIsNeverAUrlSignatureNorTheOtherWayRound() {
        String token = signer.signPrefix(BASE, OVERRIDES, EXP);
        String mac = token.substring(token.indexOf('.') + 1);
        assertInstanceOf(Verification.Tampered.class, verify(BASE, OVERRIDES, Long.toString(EXP), mac));
        String urlSignature = signer.sign(BASE, OVERRIDES, EXP);
        assertInstanceOf(UrlSigner.PrefixVerification.Tampered.class,
                signer.verifyPrefix(token.substring(0, token.indexOf('.') + 1) + urlSignature, NOW));
    }

    @Test
    void malformedPrefixTokensAreRefusedWithoutThrowing() {
        String token = signer.signPrefix(BASE, OVERRIDES, EXP);
        for (String malformed : List.of("", ".", "abc", token + "x", "%2e%2e." + token.substring(token.indexOf('.') + 1),
                "a/b." + "A".repeat(43), "A".repeat(UrlSigner.MAX_TOKEN_CHARS) + "." + "A".repeat(43),
                token.replace('.', '/'))) {
            assertInstanceOf(UrlSigner.PrefixVerification.Malformed.class, signer.verifyPrefix(malformed, NOW),
                    malformed);
        }
    }

    private static final List<UrlSigner.Parameter> DECRYPT = List.of(new UrlSigner.Parameter("decrypt", "segment"),
            new UrlSigner.Parameter("init", "https://cdn.example.net/vod/init.mp4"));

    @Test
    void signedParametersCannotBeAddedDroppedOrChanged() {
        String plain = signer.sign(DESTINATION, OVERRIDES, EXP);
        String decrypting = signer.sign(DESTINATION, OVERRIDES, DECRYPT, EXP);
        String exp = Long.toString(EXP);
        assertEquals(plain, signer.sign(DESTINATION, OVERRIDES, List.of(), EXP), "no parameters: the old signature");
        assertEquals(new Verification.Valid(EXP), signer.verify(DESTINATION, OVERRIDES, DECRYPT, exp, decrypting, NOW));
        assertEquals(new Verification.Valid(EXP), signer.verify(DESTINATION, OVERRIDES, DECRYPT.reversed(), exp,
                decrypting, NOW), "their order in the query means nothing");
        assertInstanceOf(Verification.Tampered.class, signer.verify(DESTINATION, OVERRIDES, DECRYPT, exp, plain, NOW));
        assertInstanceOf(Verification.Tampered.class, signer.verify(DESTINATION, OVERRIDES, exp, decrypting, NOW));
        assertInstanceOf(Verification.Tampered.class, signer.verify(DESTINATION, OVERRIDES,
                List.of(DECRYPT.getFirst()), exp, decrypting, NOW));
        assertInstanceOf(Verification.Tampered.class, signer.verify(DESTINATION, OVERRIDES,
                List.of(DECRYPT.getFirst(), new UrlSigner.Parameter("init", "https://cdn.example.net/vod/other.mp4")),
                exp, decrypting, NOW));
    }

    @Test
    void aSealedTokenOpensWithItsContentUntilItExpires() {
        byte[] content = "kid-and-key-bytes".getBytes(StandardCharsets.US_ASCII);
        String token = signer.seal(content.clone(), EXP);
        assertTrue(token.matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+"), token);
        assertFalse(token.contains("kid-and-key"), token);
        var opened = assertInstanceOf(UrlSigner.Unsealed.Valid.class, signer.unseal(token, NOW));
        assertArrayEquals(content, opened.content());
        assertEquals(token.substring(0, 16), opened.id());
        assertEquals(opened.id(), UrlSigner.sealedId(token));
        assertEquals(new UrlSigner.Unsealed.Expired(opened.id(), EXP), signer.unseal(token, EXP));
        assertNotEquals(token, signer.seal(content, EXP), "a fresh nonce, and id, each time");
    }

    @Test
    void aSealedTokenChangedAnywhereOrSealedByAnotherSecretIsTampered() {
        String token = signer.seal(new byte[32], EXP);
        for (int at = 0; at < token.length(); at++) {
            if (token.charAt(at) == '.') {
                continue;
            }
            char flipped = token.charAt(at) == 'A' ? 'B' : 'A';
            String changed = token.substring(0, at) + flipped + token.substring(at + 1);
            UrlSigner.Unsealed unsealed = signer.unseal(changed, NOW);
            assertTrue(unsealed instanceof UrlSigner.Unsealed.Tampered
                    || unsealed instanceof UrlSigner.Unsealed.Malformed, () -> "position " + changed + ": " + unsealed);
        }
        assertInstanceOf(UrlSigner.Unsealed.Tampered.class,
                new UrlSigner(new Secret("another-secret")).unseal(token, NOW));
        assertInstanceOf(UrlSigner.Unsealed.Tampered.class, UrlSigner.ephemeral().unseal(token, NOW));
    }

    @Test
    void whatIsNotASealedTokenIsMalformed() {
        for (String text : List.of("", ".", "abc", "AAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAA.", "AAAAAAAAAAAAAAAA.A",
                "AAAAAAAAAAAAAAAA.!!!!", "AAAAAAAAAAAAAAAA." + "A".repeat(20), "A".repeat(16) + "." + "A".repeat(UrlSigner.MAX_SEALED_CHARS))) {
            assertInstanceOf(UrlSigner.Unsealed.Malformed.class, signer.unseal(text, NOW), text);
        }
        assertEquals("-", UrlSigner.sealedId("not a token"));
    }
}
