package dev.sprox.drm;

/**
 * H.264 and HEVC samples: NAL units, each after its length. The lengths and headers stay clear under subsample
 * encryption; what was encrypted must obey two rules of the NAL unit syntax (ITU-T H.264 §7.4.1, H.265 §7.4.2): a
 * NAL unit's last byte is never 0x00, and emulation prevention leaves no 0x000000, 0x000001 or 0x000002 in it, nor
 * 0x000003 followed by a byte above 0x03. Random bytes break the first rule once in 256 NAL units ending in
 * encrypted bytes and the second about once in 5 MB, so a wrong key is seen over many samples, not in one: the
 * audio of the same key is the quick witness (see {@link AacFrames}).
 */
record NalUnits(int lengthSize, String codec) implements SampleCheck {
    @Override
    public boolean plausible(byte[] sample, int length, EncryptedRanges encrypted, boolean thorough) {
        int at = 0;
        while (length - at >= lengthSize) {
            long size = 0;
            for (int i = 0; i < lengthSize; i++) {
                size = size << 8 | sample[at + i] & 0xFF;
            }
            int start = at + lengthSize;
            if (size == 0 || size > length - start) {
                return true; // lengths are clear: a wrong one is the packager's, not the key's
            }
            int end = start + (int) size;
            if (sample[end - 1] == 0 && encrypted.contains(end - 1)) {
                return false;
            }
            if (thorough && escapesBroken(sample, start, end, encrypted)) {
                return false;
            }
            at = end;
        }
        return true;
    }

    /** Whether NAL unit {@code [start, end)} holds, among encrypted bytes, a sequence emulation prevention forbids. */
    private static boolean escapesBroken(byte[] sample, int start, int end, EncryptedRanges encrypted) {
        for (int r = 0; r < encrypted.count(); r++) {
            if (encrypted.end(r) <= start) {
                continue;
            }
            if (encrypted.start(r) >= end) {
                return false;
            }
            int to = Math.min(end - 2, encrypted.end(r));
            for (int i = Math.max(start, encrypted.start(r) - 2); i < to; i++) {
                if (sample[i] == 0 && sample[i + 1] == 0) {
                    int next = sample[i + 2] & 0xFF;
                    if (next < 3 || next == 3 && i + 3 < end && (sample[i + 3] & 0xFF) > 3) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
