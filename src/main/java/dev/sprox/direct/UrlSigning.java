package dev.sprox.direct;

import dev.sprox.security.UrlSigner;

/**
 * The signature the URLs sprox writes carry: made with this signer, valid until this second. One per
 * playlist answer, so all its URLs (and its signed prefixes) expire together.
 */
public record UrlSigning(UrlSigner signer, long expiresEpochSecond) {

    /** {@code exp=...&sig=...} for a request whose {@code d} is {@code destination}, with {@code overrides}. */
    String query(String destination, HeaderOverrides overrides) {
        return query(destination, overrides, Decryption.NONE);
    }

    /** The same for a URL that carries the decrypting mode's signed parameters too. */
    String query(String destination, HeaderOverrides overrides, Decryption decryption) {
        return UrlSigner.EXP + "=" + expiresEpochSecond + "&" + UrlSigner.SIG + "="
                + signer.sign(destination, overrides.signed(), decryption.signed(), expiresEpochSecond);
    }

    /** The token of a signed prefix: {@code base} followed by anything, with {@code overrides}. */
    String prefixToken(String base, HeaderOverrides overrides) {
        return signer.signPrefix(base, overrides.signed(), expiresEpochSecond);
    }
}
