package dev.sprox.drm;

import dev.sprox.mp4.Box;
import dev.sprox.mp4.BoxHeader;
import dev.sprox.mp4.BoxParser;
import dev.sprox.mp4.BoxWriter;
import dev.sprox.mp4.EncryptionParameters;
import dev.sprox.mp4.Mp4Exception;
import dev.sprox.mp4.SampleEncryption;
import dev.sprox.mp4.SampleGroups;
import dev.sprox.mp4.TrackFragmentHeader;
import dev.sprox.mp4.TrackRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns Common Encryption fragmented MP4 into clear fragmented MP4 as it streams through: an init segment, media
 * segments, or a whole fragmented file. A {@code moov} or {@code moof} is read whole (at most
 * {@link Limits#maxBoxBytes}) and rewritten without its protection boxes; the {@code mdat} after a {@code moof} is
 * streamed sample by sample, each sample decrypted in one buffer (at most {@link Limits#maxSampleBytes}). So a
 * stream holds at most its largest {@code moof} and its largest sample, never a segment. {@code pssh} and
 * {@code sidx} (whose sizes would be wrong) are dropped; every other box passes through unchanged.
 *
 * <p>Each decrypted sample is checked against its codec's syntax ({@link SampleCheck}), the first
 * {@value #CHECKED_SAMPLES} of each track in every fragment thoroughly: a key that does not decrypt the content is a
 * {@link DecryptException} ({@code WRONG_KEY}) rather than garbage for the player. {@link #start} finds it before
 * anything is sent, by holding back the stream's beginning up to the end of those first samples.
 *
 * <p>Not thread-safe: one per stream. Closing it wipes the keys it took.
 */
public final class FragmentDecryptor implements AutoCloseable {
    /** What may be held in memory for one stream. */
    public record Limits(int maxBoxBytes, int maxSampleBytes) {
        /** A {@code moof} of 8 MiB is tens of thousands of samples; a 16 MiB sample is a very large key frame. */
        public static final Limits DEFAULT = new Limits(8 << 20, 16 << 20);
    }

    /** Where keys come from; a key handed out here is the decryptor's to wipe. */
    @FunctionalInterface
    public interface Keys {
        ContentKey key(Kid kid) throws DecryptException;
    }

    /** Samples of each track checked thoroughly at the start of every fragment, and held back by {@link #start}. */
    static final int CHECKED_SAMPLES = 16;
    /** The most {@link #start} holds back after the first {@code moof}, besides the sample that crosses it. */
    static final int MAX_HELD_BYTES = 1 << 20;

    private static final Set<String> TRAF_PROTECTION = Set.of("senc", "saiz", "saio");
    private static final int DEFAULT_BASE_IS_MOOF = 0x20000;

    private final Map<Long, TrackProtection> tracks;
    private final Keys keys;
    private final Limits limits;
    private final KeyVerdicts verdicts;
    private final Map<String, SampleDecryptor> decryptors = new HashMap<>();
    private final List<ContentKey> held = new ArrayList<>();
    private final EncryptedRanges encrypted = new EncryptedRanges();
    private byte[] buffer = new byte[0];
    private long bytesDecrypted;

    /** Where the input is: the bytes read so far. */
    private long position;
    /** The {@code moof} read, whose {@code mdat} comes next; null when there is none. */
    private Fragment pending;
    /** Inside the {@code mdat} of {@link #pending}: where it ends ({@link Long#MAX_VALUE}: with the stream). */
    private long mdatEnd = -1;
    private int nextSample;
    private int fragments;
    /** Thorough checks of the first fragment not run yet. */
    private int firstChecksLeft;
    /** What {@link #start} read and decrypted, not sent yet. */
    private ByteArrayOutputStream heldBack;

    /** A decryptor that remembers a wrong key only for its own stream. */
    public FragmentDecryptor(Map<Long, TrackProtection> tracks, Keys keys, Limits limits) {
        this(tracks, keys, limits, new KeyVerdicts());
    }

    /**
     * @param tracks   the protection of each track, from the init segment (a {@code moov} in the stream adds to it)
     * @param verdicts keys found wrong by other streams, refused at once, and where this one finds one
     */
    public FragmentDecryptor(Map<Long, TrackProtection> tracks, Keys keys, Limits limits, KeyVerdicts verdicts) {
        this.tracks = new HashMap<>(tracks);
        this.keys = keys;
        this.limits = limits;
        this.verdicts = verdicts;
    }

    /** The protection learnt so far, from the constructor and any {@code moov} decrypted. */
    public Map<Long, TrackProtection> tracks() {
        return Map.copyOf(tracks);
    }

    /** Sample bytes that went through AES so far. */
    public long bytesDecrypted() {
        return bytesDecrypted;
    }

    /**
     * Reads and decrypts the beginning of {@code in} and holds it back, up to the end of the first fragment's first
     * {@value #CHECKED_SAMPLES} samples of each track (or {@value #MAX_HELD_BYTES} bytes after its {@code moof}, and
     * the sample that crosses them), so that a missing or wrong key is found before an answer starts.
     * {@link #decrypt} sends what was held, then the rest.
     */
    public void start(InputStream in) throws IOException {
        heldBack = new ByteArrayOutputStream();
        long withMoof = -1;
        while (fragments == 0 || firstChecksLeft > 0) {
            if (fragments > 0 && withMoof < 0) {
                withMoof = heldBack.size();
            }
            if (heldBack.size() - Math.max(0, withMoof) > MAX_HELD_BYTES || !step(in, heldBack)) {
                return;
            }
        }
    }

    /** Copies {@code in} to {@code out} in the clear (after what {@link #start} held back). */
    public void decrypt(InputStream in, OutputStream out) throws IOException {
        if (heldBack != null) {
            heldBack.writeTo(out);
            heldBack = null;
        }
        while (step(in, out)) {
            // one box, or one sample of an mdat, at a time
        }
    }

    /** Decrypts one box, or within an {@code mdat} one sample (or what follows the last); false at the end. */
    private boolean step(InputStream in, OutputStream out) throws IOException {
        if (mdatEnd >= 0) {
            mdatStep(in, out);
            return true;
        }
        Optional<BoxHeader> next = BoxHeader.read(in);
        if (next.isEmpty()) {
            return false;
        }
        BoxHeader header = next.get();
        long start = position;
        position += header.headerLength();
        switch (header.type()) {
            case "moov" -> {
                var moov = (Box.Container) BoxParser.parseOne(whole(header, in));
                ProtectedMovie.Unprotected clear = ProtectedMovie.unprotect(moov);
                tracks.putAll(clear.tracks());
                BoxWriter.write(clear.moov(), out);
                position += header.payloadSize();
            }
            case "moof" -> {
                var moof = (Box.Container) BoxParser.parseOne(whole(header, in));
                pending = plan(moof, start, header.size());
                if (++fragments == 1) {
                    firstChecksLeft = (int) pending.samples().stream().filter(Sample::thorough).count();
                }
                BoxWriter.write(pending.moof(), out);
                position += header.payloadSize();
            }
            // A sidx counts the bytes of the moofs after it, which shrink here; HLS players do not need it.
            case "pssh", "sidx" -> position += skip(in, header);
            case "mdat" -> {
                writeHeader(header, out);
                if (pending == null) {
                    position += copy(in, out, header.payloadSize());
                } else {
                    mdatEnd = header.size() == BoxHeader.TO_END ? Long.MAX_VALUE : position + header.payloadSize();
                    nextSample = 0;
                }
            }
            default -> {
                writeHeader(header, out);
                position += copy(in, out, header.payloadSize());
            }
        }
        return true;
    }

    /** The next sample of the {@code mdat} being streamed, or the bytes after its last. */
    private void mdatStep(InputStream in, OutputStream out) throws IOException {
        List<Sample> samples = pending.samples();
        if (nextSample < samples.size()) {
            Sample sample = samples.get(nextSample++);
            if (sample.position() < position || sample.position() + sample.size() > mdatEnd) {
                throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "sample at " + sample.position()
                        + " overlaps another or lies outside the mdat after its moof");
            }
            position += copy(in, out, sample.position() - position);
            position += sample(in, out, sample);
            return;
        }
        position += mdatEnd == Long.MAX_VALUE ? copy(in, out, BoxHeader.TO_END) : copy(in, out, mdatEnd - position);
        mdatEnd = -1;
        pending = null;
    }

    /** The rewritten {@code moof} and the samples its {@code mdat} holds, by their position in the input. */
    private record Fragment(Box.Container moof, List<Sample> samples) {}

    /**
     * One sample: where it is, how to decrypt it ({@code decryptor} null for a clear sample), what it must look like
     * then, and whether it is one of its track's first in the fragment, checked thoroughly.
     */
    private record Sample(long position, long size, SampleDecryptor decryptor, SampleEncryption.Entry entry,
                          EncryptionParameters parameters, SampleCheck check, boolean thorough) {}

    private Fragment plan(Box.Container moof, long moofStart, long moofSize) throws IOException {
        var samples = new ArrayList<Sample>();
        var trafs = new ArrayList<Box>();
        var moofBased = new ArrayList<Boolean>();
        long previousEnd = moofStart;
        boolean first = true;
        for (Box child : moof.children()) {
            if (child.type().equals("pssh")) {
                continue;
            }
            if (!(child instanceof Box.Container traf) || !traf.type().equals("traf")) {
                trafs.add(child);
                moofBased.add(false);
                continue;
            }
            TrackFragmentHeader tfhd = TrackFragmentHeader.parse(traf.leaf("tfhd").orElseThrow(
                    () -> new Mp4Exception(Mp4Exception.Reason.MALFORMED, "traf without tfhd")));
            boolean isMoofBased = tfhd.baseDataOffset().isEmpty() && (first || (tfhd.flags() & DEFAULT_BASE_IS_MOOF) != 0);
            long base = tfhd.baseDataOffset().orElse(isMoofBased ? moofStart : previousEnd);
            previousEnd = track(traf, tfhd, base, samples);
            trafs.add(withoutProtection(traf));
            moofBased.add(isMoofBased);
            first = false;
        }
        long removed = moofSize - BoxWriter.size(moof.withChildren(trafs));
        var patched = new ArrayList<Box>();
        for (int i = 0; i < trafs.size(); i++) {
            patched.add(trafs.get(i) instanceof Box.Container traf && traf.type().equals("traf")
                    ? shifted(traf, removed, moofBased.get(i)) : trafs.get(i));
        }
        samples.sort(Comparator.comparingLong(Sample::position));
        return new Fragment(moof.withChildren(patched), samples);
    }

    /** Adds the samples of one {@code traf} to {@code samples}; returns where its data ends. */
    private long track(Box.Container traf, TrackFragmentHeader tfhd, long base, List<Sample> samples)
            throws IOException {
        TrackProtection protection = tracks.get(tfhd.trackId());
        var sizes = new ArrayList<Long>();
        var positions = new ArrayList<Long>();
        long at = base;
        for (Box box : traf.all("trun")) {
            TrackRun run = TrackRun.parse(((Box.Leaf) box).payload());
            if (samples.size() + sizes.size() + run.sampleCount() > TrackRun.MAX_SAMPLES) {
                throw new Mp4Exception(Mp4Exception.Reason.TOO_MANY_ENTRIES, "moof lists more than "
                        + TrackRun.MAX_SAMPLES + " samples");
            }
            if (run.dataOffset().isPresent()) {
                at = base + run.dataOffset().getAsInt();
            }
            for (int i = 0; i < run.sampleCount(); i++) {
                long size = run.sizes() != null ? run.sizes()[i] : tfhd.defaultSampleSize().orElse(
                        protection == null ? -1 : protection.defaultSampleSize());
                if (size < 0) {
                    throw new Mp4Exception(Mp4Exception.Reason.UNSUPPORTED, "track " + tfhd.trackId()
                            + " gives no sample sizes in its fragment");
                }
                positions.add(at);
                sizes.add(size);
                at += size;
            }
        }
        if (protection == null) {
            for (int i = 0; i < sizes.size(); i++) {
                samples.add(new Sample(positions.get(i), sizes.get(i), null, null, null, SampleCheck.NONE, false));
            }
            return at;
        }
        List<EncryptionParameters> parameters = groupParameters(traf, protection, sizes.size());
        List<SampleEncryption.Entry> entries = encryption(traf, parameters);
        int checked = 0;
        for (int i = 0; i < sizes.size(); i++) {
            EncryptionParameters p = parameters.get(i);
            SampleDecryptor decryptor = p.isProtected() ? decryptor(protection.scheme(), p.kid()) : null;
            boolean thorough = decryptor != null && !(protection.check() instanceof SampleCheck.None)
                    && checked++ < CHECKED_SAMPLES;
            samples.add(new Sample(positions.get(i), sizes.get(i), decryptor, entries.get(i), p, protection.check(),
                    thorough));
        }
        return at;
    }

    /** Each sample's parameters: the track's {@code tenc}, or its {@code seig} group's (§6). */
    private static List<EncryptionParameters> groupParameters(Box.Container traf, TrackProtection protection,
                                                              int count) throws Mp4Exception {
        var result = new ArrayList<EncryptionParameters>(count);
        List<EncryptionParameters> descriptions = List.of();
        for (Box box : traf.all("sgpd")) {
            byte[] payload = ((Box.Leaf) box).payload();
            if (SampleGroups.isSeig(payload)) {
                descriptions = SampleGroups.parseSeigDescriptions(payload);
            }
        }
        for (Box box : traf.all("sbgp")) {
            byte[] payload = ((Box.Leaf) box).payload();
            if (!SampleGroups.isSeig(payload)) {
                continue;
            }
            for (SampleGroups.Run run : SampleGroups.parseSbgp(payload)) {
                EncryptionParameters p = protection.defaults();
                if (run.groupIndex() > SampleGroups.FRAGMENT_LOCAL) {
                    long index = run.groupIndex() - SampleGroups.FRAGMENT_LOCAL - 1;
                    if (index >= descriptions.size()) {
                        throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "sbgp names seig entry " + index
                                + " of " + descriptions.size());
                    }
                    p = descriptions.get((int) index);
                } else if (run.groupIndex() != 0) {
                    throw new Mp4Exception(Mp4Exception.Reason.UNSUPPORTED, "seig groups described in the init"
                            + " segment");
                }
                for (long i = 0; i < run.sampleCount() && result.size() < count; i++) {
                    result.add(p);
                }
            }
        }
        while (result.size() < count) {
            result.add(protection.defaults());
        }
        return result;
    }

    private static List<SampleEncryption.Entry> encryption(Box.Container traf, List<EncryptionParameters> parameters)
            throws Mp4Exception {
        Optional<byte[]> senc = traf.leaf("senc");
        if (senc.isPresent()) {
            List<SampleEncryption.Entry> entries = SampleEncryption.parse(senc.get(),
                    i -> i < parameters.size() ? parameters.get(i).perSampleIvSize() : 0);
            if (entries.size() != parameters.size()) {
                throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "senc lists " + entries.size()
                        + " samples, trun " + parameters.size());
            }
            return entries;
        }
        var entries = new ArrayList<SampleEncryption.Entry>(parameters.size());
        for (EncryptionParameters p : parameters) {
            if (p.isProtected() && p.perSampleIvSize() != 0) {
                throw new Mp4Exception(Mp4Exception.Reason.UNSUPPORTED, "protected fragment without senc");
            }
            entries.add(new SampleEncryption.Entry(new byte[0], new int[0], new long[0]));
        }
        return entries;
    }

    private SampleDecryptor decryptor(CencScheme scheme, byte[] kidBytes) throws DecryptException {
        Kid kid = Kid.of(kidBytes);
        String name = scheme.fourCc() + kid.hex();
        SampleDecryptor decryptor = decryptors.get(name);
        if (decryptor == null) {
            ContentKey key = keys.key(kid);
            held.add(key);
            if (verdicts.knownWrong(kid, key)) {
                throw DecryptException.wrongKey(kid, "another segment decrypted with it was not media");
            }
            decryptor = new SampleDecryptor(scheme, kid, key);
            decryptors.put(name, decryptor);
        }
        return decryptor;
    }

    private static Box.Container withoutProtection(Box.Container traf) throws Mp4Exception {
        var kept = new ArrayList<Box>();
        for (Box child : traf.children()) {
            boolean seig = (child.type().equals("sbgp") || child.type().equals("sgpd"))
                    && SampleGroups.isSeig(((Box.Leaf) child).payload());
            if (!seig && !TRAF_PROTECTION.contains(child.type())) {
                kept.add(child);
            }
        }
        return traf.withChildren(kept);
    }

    /** The {@code traf} with its data offsets moved back by the bytes the {@code moof} lost. */
    private static Box.Container shifted(Box.Container traf, long removed, boolean moofBased) throws Mp4Exception {
        var children = new ArrayList<Box>();
        byte[] tfhdPayload = traf.leaf("tfhd").orElseThrow();
        TrackFragmentHeader tfhd = TrackFragmentHeader.parse(tfhdPayload);
        for (Box child : traf.children()) {
            if (child instanceof Box.Leaf leaf && leaf.type().equals("tfhd") && tfhd.baseDataOffset().isPresent()) {
                children.add(new Box.Leaf("tfhd", leaf.largeSize(), TrackFragmentHeader.withBaseDataOffset(
                        leaf.payload(), tfhd.baseDataOffset().getAsLong() - removed)));
            } else if (child instanceof Box.Leaf leaf && leaf.type().equals("trun") && moofBased) {
                TrackRun run = TrackRun.parse(leaf.payload());
                children.add(run.dataOffset().isEmpty() ? leaf : new Box.Leaf("trun", leaf.largeSize(),
                        TrackRun.withDataOffset(leaf.payload(), (int) (run.dataOffset().getAsInt() - removed))));
            } else {
                children.add(child);
            }
        }
        return traf.withChildren(children);
    }

    private long sample(InputStream in, OutputStream out, Sample sample) throws IOException {
        if (sample.size() > limits.maxSampleBytes()) {
            throw new Mp4Exception(Mp4Exception.Reason.TOO_LARGE, "sample of " + sample.size() + " bytes, more than "
                    + limits.maxSampleBytes());
        }
        int size = (int) sample.size();
        if (buffer.length < size) {
            buffer = new byte[Math.max(size, Math.min(limits.maxSampleBytes(), buffer.length * 2))];
        }
        if (in.readNBytes(buffer, 0, size) < size) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "stream ends inside a sample");
        }
        if (sample.decryptor() != null) {
            EncryptionParameters p = sample.parameters();
            byte[] iv = p.perSampleIvSize() == 0 ? p.constantIv() : sample.entry().iv();
            if (!sample.decryptor().decrypt(buffer, size, iv, sample.entry().clear(),
                    sample.entry().protectedBytes(), p.cryptByteBlock(), p.skipByteBlock(), encrypted)) {
                throw new Mp4Exception(Mp4Exception.Reason.MALFORMED, "subsample map of a sample is longer than its "
                        + size + " bytes");
            }
            bytesDecrypted += size;
            if (!sample.check().plausible(buffer, size, encrypted, sample.thorough())) {
                verdicts.remember(sample.decryptor().kid(), sample.decryptor().key());
                throw DecryptException.wrongKey(sample.decryptor().kid(), "the sample at byte " + sample.position()
                        + " of fragment " + fragments + " is not " + sample.check().codec() + " once decrypted");
            }
            if (sample.thorough() && fragments == 1) {
                firstChecksLeft--;
            }
        }
        out.write(buffer, 0, size);
        return size;
    }

    private byte[] whole(BoxHeader header, InputStream in) throws IOException {
        if (header.size() == BoxHeader.TO_END || header.size() > limits.maxBoxBytes()) {
            throw new Mp4Exception(Mp4Exception.Reason.TOO_LARGE, header.type() + " of " + header.size()
                    + " bytes, more than the " + limits.maxBoxBytes() + " held in memory");
        }
        var box = new ByteArrayOutputStream((int) header.size());
        BoxWriter.writeHeader(header.type(), header.payloadSize(), header.largeSize(), box);
        byte[] payload = in.readNBytes((int) header.payloadSize());
        if (payload.length < header.payloadSize()) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "stream ends inside " + header.type());
        }
        box.write(payload);
        return box.toByteArray();
    }

    private static void writeHeader(BoxHeader header, OutputStream out) throws IOException {
        if (header.size() == BoxHeader.TO_END) {
            out.write(new byte[] {0, 0, 0, 0});
            out.write(header.type().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } else {
            BoxWriter.writeHeader(header.type(), header.payloadSize(), header.largeSize(), out);
        }
    }

    private static long skip(InputStream in, BoxHeader header) throws IOException {
        return copy(in, OutputStream.nullOutputStream(), header.payloadSize());
    }

    /** Copies {@code count} bytes ({@link BoxHeader#TO_END}: all that is left); a short stream is truncated. */
    private static long copy(InputStream in, OutputStream out, long count) throws IOException {
        if (count == BoxHeader.TO_END) {
            return in.transferTo(out);
        }
        byte[] chunk = new byte[(int) Math.min(count, 16 * 1024)];
        long left = count;
        while (left > 0) {
            int read = in.read(chunk, 0, (int) Math.min(left, chunk.length));
            if (read < 0) {
                throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "stream ends " + left + " bytes before a box does");
            }
            out.write(chunk, 0, read);
            left -= read;
        }
        return count;
    }

    @Override
    public void close() {
        held.forEach(ContentKey::close);
        held.clear();
        decryptors.clear();
    }
}
