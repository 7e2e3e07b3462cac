package dev.sprox.drm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts samples in place with one content key, under one scheme (ISO/IEC 23001-7 §9, §10). AES through
 * {@code javax.crypto}, so the JDK's AES-NI intrinsics do the work. One per track and key; not thread-safe.
 */
final class SampleDecryptor {
    private static final int BLOCK = 16;

    private final CencScheme scheme;
    private final Kid kid;
    private final ContentKey contentKey;
    private final SecretKeySpec key;
    private final Cipher cipher;

    SampleDecryptor(CencScheme scheme, Kid kid, ContentKey contentKey) {
        this.scheme = scheme;
        this.kid = kid;
        this.contentKey = contentKey;
        this.key = new SecretKeySpec(contentKey.material(), "AES");
        try {
            this.cipher = Cipher.getInstance(scheme.cbc() ? "AES/CBC/NoPadding" : "AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES " + scheme, e);
        }
    }

    Kid kid() {
        return kid;
    }

    /** The key, owned by whoever handed it to the constructor. */
    ContentKey key() {
        return contentKey;
    }

    /**
     * Decrypts {@code sample[0, length)} in place.
     *
     * @param iv             the sample's IV, 8 or 16 bytes (8 are the high half of the counter block)
     * @param clear          per subsample, the clear bytes before its protected ones; empty for a whole sample
     * @param protectedBytes per subsample, how many bytes are protected
     * @param crypt          the pattern's encrypted blocks (0 with {@code skip} 0: no pattern)
     * @param skip           the pattern's clear blocks
     * @param encrypted      cleared, then given every range that went through AES
     * @return false when the subsample map does not add up to the sample's length
     */
    boolean decrypt(byte[] sample, int length, byte[] iv, int[] clear, long[] protectedBytes, int crypt, int skip,
                    EncryptedRanges encrypted) {
        encrypted.clear();
        byte[] counter = new byte[BLOCK];
        System.arraycopy(iv, 0, counter, 0, Math.min(iv.length, BLOCK));
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
            if (clear.length == 0) {
                range(sample, 0, length, crypt, skip, encrypted);
                return true;
            }
            long at = 0;
            for (int i = 0; i < clear.length; i++) {
                at += clear[i];
                if (at + protectedBytes[i] > length) {
                    return false;
                }
                if (scheme.ivPerSubsample() && i > 0) {
                    cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
                }
                range(sample, (int) at, (int) protectedBytes[i], crypt, skip, encrypted);
                at += protectedBytes[i];
            }
            return at <= length;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES refused a 16-byte key and IV", e);
        }
    }

    /**
     * One protected range. Without a pattern {@code cenc} covers every byte and the other schemes every whole
     * block (a partial block at the end stays clear, §10); with one, {@code crypt} blocks of each {@code crypt + skip} are encrypted, and
     * a remainder shorter than a block is clear. The cipher's state runs on across the encrypted blocks.
     */
    private void range(byte[] sample, int offset, int length, int crypt, int skip, EncryptedRanges ranges)
            throws GeneralSecurityException {
        if (crypt == 0 || skip == 0) {
            int encrypted = scheme.partialBlocks() ? length : length - length % BLOCK;
            if (encrypted > 0) {
                cipher.update(sample, offset, encrypted, sample, offset);
                ranges.add(offset, offset + encrypted);
            }
            return;
        }
        int end = offset + length;
        int at = offset;
        while (at < end) {
            int encrypted = Math.min(crypt * BLOCK, (end - at) / BLOCK * BLOCK);
            if (encrypted == 0) {
                return;
            }
            cipher.update(sample, at, encrypted, sample, at);
            ranges.add(at, at + encrypted);
            at += encrypted + skip * BLOCK;
        }
    }
}
