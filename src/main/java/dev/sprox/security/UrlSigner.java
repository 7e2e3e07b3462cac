package dev.sprox.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies direct-stream URLs: {@code sig} is an HMAC-SHA256 over the exact destination, the
 * {@code h_} header overrides and the expiry, so a signed URL authorises exactly that request until
 * {@code exp} and nothing else. The endpoint path is not covered: every direct endpoint fetches the same
 * destination with the same headers. ClearKey licence URLs are signed the same way over a "destination" that
 * names the keys they may fetch ({@code sprox:clearkey...}, see {@code drm.LicenceUrls}): never an http(s) URL,
 * so a licence signature can never pass for a direct one, nor the other way round.
 *
 * <p>The MAC key is derived from the configured secret with HMAC and a fixed label, so the raw secret is
 * never a MAC key and a secret shared with another system cannot be used to forge (or be probed through)
 * these signatures.
 *
 * <p>A <em>signed prefix</em> ({@link #signPrefix}) signs a base URL instead of a whole destination: a player
 * may append any path to it. So that a prefix can never pass for a signed URL nor the other way round (a URL
 * signature of {@code https://cdn/a.m3u8?x=} must not open {@code https://cdn/a.m3u8?x=anything}), prefixes are
 * signed with a second key derived under another label. The token carries what it signs, so one path segment
 * is a whole credential: base64url of the same length-prefixed encoding the MAC covers, a dot, the MAC.
 */
public final class UrlSigner {
    public static final String EXP = "exp";
    public static final String SIG = "sig";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] KEY_LABEL = "sprox direct-stream signed url v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX_KEY_LABEL = "sprox direct-stream signed prefix v1"
            .getBytes(StandardCharsets.US_ASCII);
    /** Longest token accepted: a base of 2 KiB with a few overrides fits, and decoding never costs more. */
    public static final int MAX_TOKEN_CHARS = 4096;
    /** 32 MAC bytes in base64url without padding. */
    private static final int SIG_LENGTH = 43;
    /** Up to year 33658: an expiry needs no more, and a bound keeps parsing trivially safe. */
    private static final int MAX_EXP_DIGITS = 12;

    /** Initialised once and only ever cloned: a playlist answer signs each of its URLs. */
    private final Mac prototype;
    private final Mac prefixPrototype;

    public UrlSigner(Secret signingSecret) {
        this(signingSecret.value().getBytes(StandardCharsets.UTF_8));
    }

    private UrlSigner(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the signing secret must not be empty");
        }
        Mac derivation = initialised(new SecretKeySpec(secret, ALGORITHM));
        this.prototype = initialised(new SecretKeySpec(derivation.doFinal(KEY_LABEL), ALGORITHM));
        this.prefixPrototype = initialised(new SecretKeySpec(derivation.doFinal(PREFIX_KEY_LABEL), ALGORITHM));
    }

    /** A signer with a random key of its own: what it signs, nothing else verifies. */
    public static UrlSigner ephemeral() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new UrlSigner(secret);
    }

    /**
     * For a configuration with no signing secret: one random key for the whole process, so its signatures
     * survive reloads but not a restart.
     */
    public static UrlSigner processKey() {
        return ProcessKey.SIGNER;
    }

    private static final class ProcessKey {
        static final UrlSigner SIGNER = ephemeral();
    }

    /** One {@code h_} override as the request carries it; the name compares without case. */
    public record HeaderOverride(String name, String value) {}

    /** @return the {@code sig} value: base64url of the MAC, without padding */
    public String sign(String destination, List<HeaderOverride> overrides, long expiresEpochSecond) {
        checkExpiry(expiresEpochSecond);
        byte[] mac = fresh(prototype).doFinal(canonical(destination, overrides, expiresEpochSecond));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    /**
     * A token for one path segment that authorises {@code base} followed by anything, with these overrides, until
     * {@code expiresEpochSecond}: base64url (no padding) of what is signed, {@code .}, base64url of the MAC. Only
     * base64url characters and one dot, so no proxy in front can decode or split it.
     *
     * @param base an absolute URL ending in {@code /}; the caller decides what may follow it
     */
    public String signPrefix(String base, List<HeaderOverride> overrides, long expiresEpochSecond) {
        checkExpiry(expiresEpochSecond);
        byte[] signed = canonical(base, overrides, expiresEpochSecond);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(signed) + "." + encoder.encodeToString(fresh(prefixPrototype).doFinal(signed));
    }

    /** What a presented prefix token proves. */
    public sealed interface PrefixVerification {
        /** Authentic and unexpired: {@code base} with these overrides may be fetched, with any path after it. */
        record Valid(String base, List<HeaderOverride> overrides, long expiresEpochSecond)
                implements PrefixVerification {}

        /** Authentic, but its time is up. */
        record Expired(long expiresEpochSecond) implements PrefixVerification {}

        /** In the shape {@link #signPrefix} writes, but not signed by this key. */
        record Tampered() implements PrefixVerification {}

        /** Not in the shape {@link #signPrefix} writes. */
        record Malformed(String reason) implements PrefixVerification {}
    }

    /**
     * The MAC is checked before the signed part is read, and authenticity before expiry: a forged token is always
     * {@code Tampered} or {@code Malformed}, whatever it claims.
     */
    public PrefixVerification verifyPrefix(String token, long nowEpochSecond) {
        int dot = token.indexOf('.');
        if (token.length() > MAX_TOKEN_CHARS || dot <= 0 || token.length() - dot - 1 != SIG_LENGTH
                || !isBase64Url(token.substring(0, dot)) || !isBase64Url(token.substring(dot + 1))) {
            return new PrefixVerification.Malformed("not a signed prefix");
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(token.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return new PrefixVerification.Malformed("not a signed prefix");
        }
        byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(fresh(prefixPrototype).doFinal(signed));
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return new PrefixVerification.Tampered();
        }
        var read = new CanonicalReader(signed);
        String base = read.field();
        int count = read.int32();
        var overrides = new ArrayList<HeaderOverride>(Math.min(Math.max(count, 0), 64));
        for (int i = 0; i < count && read.ok(); i++) {
            overrides.add(new HeaderOverride(read.field(), read.field()));
        }
        String exp = read.field();
        // Only a token this key signed gets here, and this key signs nothing else in this shape.
        if (!read.finished() || !isCanonicalNumber(exp)) {
            return new PrefixVerification.Malformed("not a signed prefix");
        }
        long expires = Long.parseLong(exp);
        return nowEpochSecond >= expires ? new PrefixVerification.Expired(expires)
                : new PrefixVerification.Valid(base, List.copyOf(overrides), expires);
    }

    private static void checkExpiry(long expiresEpochSecond) {
        if (expiresEpochSecond < 0 || Long.toString(expiresEpochSecond).length() > MAX_EXP_DIGITS) {
            throw new IllegalArgumentException("expiry out of range: " + expiresEpochSecond);
        }
    }

    /** What a presented {@code exp}/{@code sig} pair proves about a request. */
    public sealed interface Verification {
        /** Authentic and unexpired: the request is authorised until {@code expiresEpochSecond}. */
        record Valid(long expiresEpochSecond) implements Verification {}

        /** Authentic, but its time is up. */
        record Expired(long expiresEpochSecond) implements Verification {}

        /** Well-formed, but not a signature of this destination, these overrides and this expiry. */
        record Tampered() implements Verification {}

        /** {@code exp} or {@code sig} missing or not in the shape {@link #sign} writes. */
        record Malformed(String reason) implements Verification {}
    }

    /**
     * Authenticity is decided before expiry, so a forged URL is always {@code Tampered}: an attacker learns
     * nothing from choosing {@code exp}.
     *
     * @param exp the {@code exp} parameter as presented, or null
     * @param sig the {@code sig} parameter as presented, or null
     */
    public Verification verify(String destination, List<HeaderOverride> overrides, String exp, String sig,
                               long nowEpochSecond) {
        if (exp == null || sig == null) {
            return new Verification.Malformed("a signed URL needs both exp and sig");
        }
        if (!isCanonicalNumber(exp)) {
            return new Verification.Malformed("exp is not a time in epoch seconds");
        }
        if (sig.length() != SIG_LENGTH || !isBase64Url(sig)) {
            return new Verification.Malformed("sig is not a signature");
        }
        long expires = Long.parseLong(exp);
        byte[] expected = sign(destination, overrides, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return new Verification.Tampered();
        }
        return nowEpochSecond >= expires ? new Verification.Expired(expires) : new Verification.Valid(expires);
    }

    /**
     * Every field is length-prefixed, so no choice of destination, names or values can make two different
     * requests encode alike. Overrides are sorted by lower-case name, then value: their order in the query
     * means nothing to the request, and header names compare without case.
     */
    static byte[] canonical(String destination, List<HeaderOverride> overrides, long expiresEpochSecond) {
        var sorted = new ArrayList<>(overrides);
        sorted.sort(Comparator.comparing((HeaderOverride o) -> o.name().toLowerCase(Locale.ROOT))
                .thenComparing(HeaderOverride::value));
        var out = new ByteArrayOutputStream(128);
        field(out, destination);
        int32(out, sorted.size());
        for (HeaderOverride override : sorted) {
            field(out, override.name().toLowerCase(Locale.ROOT));
            field(out, override.value());
        }
        field(out, Long.toString(expiresEpochSecond));
        return out.toByteArray();
    }

    /** Reads back what {@link #canonical} wrote; any overrun leaves it not {@link #ok()}, never throwing. */
    private static final class CanonicalReader {
        private final byte[] bytes;
        private int position;
        private boolean ok = true;

        CanonicalReader(byte[] bytes) {
            this.bytes = bytes;
        }

        int int32() {
            if (bytes.length - position < 4) {
                ok = false;
                return 0;
            }
            int value = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
                    | (bytes[position + 2] & 0xFF) << 8 | (bytes[position + 3] & 0xFF);
            position += 4;
            return value;
        }

        String field() {
            int length = int32();
            if (!ok || length < 0 || length > bytes.length - position) {
                ok = false;
                return "";
            }
            String text = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        boolean ok() {
            return ok;
        }

        boolean finished() {
            return ok && position == bytes.length;
        }
    }

    private static void field(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int32(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void int32(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    /** Digits only, no sign, no leading zero: one text per expiry, as {@link Long#toString} writes it. */
    private static boolean isCanonicalNumber(String text) {
        if (text.isEmpty() || text.length() > MAX_EXP_DIGITS || (text.length() > 1 && text.charAt(0) == '0')) {
            return false;
        }
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isBase64Url(String text) {
        return text.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '-' || c == '_');
    }

    private static Mac initialised(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A Mac of its own for one signature: cloning the keyed prototype costs half of a new one. */
    private static Mac fresh(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }
}
