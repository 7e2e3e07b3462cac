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
 */
public final class UrlSigner {
    public static final String EXP = "exp";
    public static final String SIG = "sig";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] KEY_LABEL = "sprox direct-stream signed url v1".getBytes(StandardCharsets.US_ASCII);
    /** 32 MAC bytes in base64url without padding. */
    private static final int SIG_LENGTH = 43;
    /** Up to year 33658: an expiry needs no more, and a bound keeps parsing trivially safe. */
    private static final int MAX_EXP_DIGITS = 12;

    /** Initialised once and only ever cloned: a playlist answer signs each of its URLs. */
    private final Mac prototype;

    public UrlSigner(Secret signingSecret) {
        this(signingSecret.value().getBytes(StandardCharsets.UTF_8));
    }

    private UrlSigner(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the signing secret must not be empty");
        }
        this.prototype = initialised(new SecretKeySpec(initialised(new SecretKeySpec(secret, ALGORITHM))
                .doFinal(KEY_LABEL), ALGORITHM));
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
        if (expiresEpochSecond < 0 || Long.toString(expiresEpochSecond).length() > MAX_EXP_DIGITS) {
            throw new IllegalArgumentException("expiry out of range: " + expiresEpochSecond);
        }
        byte[] mac = fresh().doFinal(canonical(destination, overrides, expiresEpochSecond));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
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
    private Mac fresh() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }
}
