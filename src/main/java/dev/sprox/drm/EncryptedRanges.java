package dev.sprox.drm;

import java.util.Arrays;

/**
 * The byte ranges of one sample that went through AES, in order: what a plausibility check may judge the key by
 * (the clear bytes between them are the origin's whatever the key). Reused from sample to sample; not thread-safe.
 */
final class EncryptedRanges {
    private int[] bounds = new int[16];
    private int count;

    void clear() {
        count = 0;
    }

    /** Adds {@code [start, end)}, after every range added so far; one that meets the last extends it. */
    void add(int start, int end) {
        if (count > 0 && bounds[2 * count - 1] == start) {
            bounds[2 * count - 1] = end;
            return;
        }
        if (2 * count == bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[2 * count] = start;
        bounds[2 * count + 1] = end;
        count++;
    }

    int count() {
        return count;
    }

    int start(int range) {
        return bounds[2 * range];
    }

    int end(int range) {
        return bounds[2 * range + 1];
    }

    /** How many bytes from the sample's first went through AES, up to the first clear one (0: the first is clear). */
    int prefix() {
        return count > 0 && bounds[0] == 0 ? bounds[1] : 0;
    }

    /** Whether byte {@code index} went through AES. */
    boolean contains(int index) {
        for (int i = 0; i < count; i++) {
            if (index < bounds[2 * i]) {
                return false;
            }
            if (index < bounds[2 * i + 1]) {
                return true;
            }
        }
        return false;
    }
}
