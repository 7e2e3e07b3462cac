package dev.sprox.direct;

import dev.sprox.pipeline.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The media work of the decrypting mode ({@link Decryption}), done by the {@code drm} package, which sits above this
 * one: the direct endpoints authorise, fetch through the destination guard, hold the stream slot and count; this
 * turns the origin's bytes into clear ones, with keys from the key store or the request's sealed token.
 */
public interface MediaDecryption {

    /** The sealed keys a request carried, opened: the token's id (what logs show) and its content, to be wiped. */
    record SealedKeys(String id, byte[] content) {}

    /**
     * The init segment without its protection, whole.
     *
     * @throws dev.sprox.http.RequestRejected 502 when the origin's bytes cannot be decrypted
     */
    byte[] init(InputStream origin, RequestContext context) throws IOException;

    /**
     * Ready to decrypt segments protected as {@code init} declares, every key found first: a missing key is a
     * refusal before any byte is sent.
     *
     * @throws dev.sprox.http.RequestRejected 403 for a KID without a key (the KID logged), 502 when the key server
     *                                        cannot say or the media cannot be decrypted
     */
    Segment segment(InputStream init, Optional<SealedKeys> keys, RequestContext context) throws IOException;

    /** One segment's decryption; closing it wipes its keys. */
    interface Segment extends AutoCloseable {
        /**
         * Reads and decrypts the start of {@code origin}, its first samples checked, before the answer starts.
         *
         * @throws dev.sprox.http.RequestRejected 502 when the key does not decrypt the media (the KID logged) or the
         *                                        media cannot be decrypted
         */
        void start(InputStream origin) throws IOException;

        /**
         * Copies {@code origin} to {@code out} in the clear, from what {@link #start} read on; a failure midway (a
         * wrong key included) is logged and thrown, and nothing after it is sent.
         */
        void decrypt(InputStream origin, OutputStream out) throws IOException;

        @Override
        void close();
    }
}
