package dev.sprox.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
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
 *
 * <p>A signed URL may carry <em>signed parameters</em> beside {@code d} and the overrides (the decrypting mode's
 * {@code decrypt}, {@code init}, {@code range}, {@code keys}): they are covered by the same MAC, so a client can
 * neither add, drop nor change one. A URL without any encodes exactly as before they existed.
 *
 * <p>A <em>sealed token</em> ({@link #seal}) carries something a client must not read, such as content keys an
 * integrator passes for one stream: AES-256-GCM under a third key derived from the same secret, so it is both
 * secret and authentic, with its expiry inside. Its first part, the random nonce, is its public id: what logs show
 * ({@link Redaction}).
 */
public final class UrlSigner {
    public static final String EXP = "exp";
    public static final String SIG = "sig";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] KEY_LABEL = "sprox direct-stream signed url v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX_KEY_LABEL = "sprox direct-stream signed prefix v1"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEAL_KEY_LABEL = "sprox sealed token v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest sealed token accepted: 64 content keys with their KIDs fit several times over. */
    public static final int MAX_SEALED_CHARS = 8192;
    /** Longest token accepted: a base of 2 KiB with a few overrides fits, and decoding never costs more. */
    public static final int MAX_TOKEN_CHARS = 4096;
    /** 32 MAC bytes in base64url without padding. */
    private static final int SIG_LENGTH = 43;
    /** Up to year 33658: an expiry needs no more, and a bound keeps parsing trivially safe. */
    private static final int MAX_EXP_DIGITS = 12;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Initialised once and only ever cloned: a playlist answer signs each of its URLs. */
    private final Mac prototype;
    private final Mac prefixPrototype;
    private final SecretKeySpec sealKey;

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
        this.sealKey = new SecretKeySpec(derivation.doFinal(SEAL_KEY_LABEL), "AES");
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

    /** One signed parameter of a URL, by its exact name and value. */
    public record Parameter(String name, String value) {}

    /** @return the {@code sig} value: base64url of the MAC, without padding */
    public String sign(String destination, List<HeaderOverride> overrides, long expiresEpochSecond) {
        return sign(destination, overrides, List.of(), expiresEpochSecond);
    }

    /** As {@link #sign(String, List, long)}, covering {@code parameters} too. */
    public String sign(String destination, List<HeaderOverride> overrides, List<Parameter> parameters,
                       long expiresEpochSecond) {
        checkExpiry(expiresEpochSecond);
        byte[] mac = fresh(prototype).doFinal(canonical(destination, overrides, parameters, expiresEpochSecond));
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
        return verify(destination, overrides, List.of(), exp, sig, nowEpochSecond);
    }

    /** As {@link #verify(String, List, String, String, long)}, for a URL with signed parameters. */
    public Verification verify(String destination, List<HeaderOverride> overrides, List<Parameter> parameters,
                               String exp, String sig, long nowEpochSecond) {
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
        byte[] expected = sign(destination, overrides, parameters, expires).getBytes(StandardCharsets.US_ASCII);
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
        return canonical(destination, overrides, List.of(), expiresEpochSecond);
    }

    /**
     * Signed parameters follow the expiry, sorted by name then value, behind their count; without any, nothing
     * follows it. Every field being length-prefixed, the two shapes never encode alike.
     */
    static byte[] canonical(String destination, List<HeaderOverride> overrides, List<Parameter> parameters,
                            long expiresEpochSecond) {
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
        if (!parameters.isEmpty()) {
            var params = new ArrayList<>(parameters);
            params.sort(Comparator.comparing(Parameter::name).thenComparing(Parameter::value));
            int32(out, params.size());
            for (Parameter parameter : params) {
                field(out, parameter.name());
                field(out, parameter.value());
            }
        }
        return out.toByteArray();
    }

    /**
     * {@code content} sealed until {@code expiresEpochSecond}: base64url of a fresh random nonce (the token's id),
     * {@code .}, base64url of the AES-GCM ciphertext of the expiry and the content. The caller wipes
     * {@code content}.
     */
    public String seal(byte[] content, long expiresEpochSecond) {
        checkExpiry(expiresEpochSecond);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] plain = new byte[Long.BYTES + content.length];
        for (int i = 0; i < Long.BYTES; i++) {
            plain[i] = (byte) (expiresEpochSecond >>> (56 - 8 * i));
        }
        System.arraycopy(content, 0, plain, Long.BYTES, content.length);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(SEAL_KEY_LABEL);
            Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
            return encoder.encodeToString(nonce) + "." + encoder.encodeToString(cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The public id of a sealed token as a log may show it: its nonce, or "-" for text that is not one. */
    public static String sealedId(String token) {
        int dot = token.indexOf('.');
        String id = dot < 0 ? "" : token.substring(0, dot);
        return id.length() == 16 && isBase64Url(id) ? id : "-";
    }

    /** What a presented sealed token holds. */
    public sealed interface Unsealed {
        /** Authentic and unexpired; {@code content} is the caller's to wipe. */
        record Valid(String id, byte[] content, long expiresEpochSecond) implements Unsealed {}

        /** Authentic, but its time is up. */
        record Expired(String id, long expiresEpochSecond) implements Unsealed {}

        /** Not sealed by this key, or changed since. */
        record Tampered() implements Unsealed {}

        /** Not in the shape {@link #seal} writes. */
        record Malformed() implements Unsealed {}
    }

    public Unsealed unseal(String token, long nowEpochSecond) {
        int dot = token.indexOf('.');
        if (token.length() > MAX_SEALED_CHARS || dot < 0 || sealedId(token).equals("-")
                || !isBase64Url(token.substring(dot + 1))) {
            return new Unsealed.Malformed();
        }
        byte[] nonce;
        byte[] sealed;
        try {
            nonce = Base64.getUrlDecoder().decode(token.substring(0, dot));
            sealed = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Unsealed.Malformed();
        }
        // One text per token: trailing bits base64 would drop must not make a second spelling of it.
        if (sealed.length < TAG_BITS / 8 + Long.BYTES || !Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sealed).equals(token.substring(dot + 1))) {
            return new Unsealed.Malformed();
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(SEAL_KEY_LABEL);
            plain = cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            return new Unsealed.Tampered();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
        long expires = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            expires = expires << 8 | (plain[i] & 0xFF);
        }
        String id = sealedId(token);
        if (nowEpochSecond >= expires) {
            Arrays.fill(plain, (byte) 0);
            return new Unsealed.Expired(id, expires);
        }
        byte[] content = Arrays.copyOfRange(plain, Long.BYTES, plain.length);
        Arrays.fill(plain, (byte) 0);
        return new Unsealed.Valid(id, content, expires);
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
