package dev.sprox.drm.bench;

import dev.sprox.drm.CencScheme;
import dev.sprox.drm.ContentKey;
import dev.sprox.drm.FragmentDecryptor;
import dev.sprox.drm.TrackProtection;
import dev.sprox.mp4.Box;
import dev.sprox.mp4.BoxWriter;
import dev.sprox.mp4.EncryptionParameters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Decryption on one thread: a 4 MiB media segment (200 video samples of about 20 KiB, each one subsample with
 * 96 clear bytes) through {@link FragmentDecryptor} as the decrypting mode runs it (moof parsed and rewritten,
 * mdat streamed sample by sample), for {@code cenc} and {@code cbcs} 1:9; and bare AES-128-CTR over the same
 * bytes, sample by sample, through {@code javax.crypto}, the ceiling sprox can reach (compare {@code openssl speed -evp
 * aes-128-ctr}). Run with scripts/jmh-drm; arguments are JMH's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecryptBenchmark {
    static final int SAMPLES = 200;
    static final int SAMPLE_BYTES = 20 * 1024 + 7;
    static final int CLEAR_BYTES = 96;
    private static final byte[] KID = new byte[16];
    private static final String KEY = "00112233445566778899aabbccddeeff";

    private final byte[] cencSegment = segment(8);
    private final byte[] cbcsSegment = segment(0);
    private final byte[] raw = new byte[SAMPLES * SAMPLE_BYTES];
    private final Map<Long, TrackProtection> cenc = Map.of(1L, new TrackProtection(1, CencScheme.CENC,
            new EncryptionParameters(0, 0, true, 8, KID, new byte[0]), -1));
    private final Map<Long, TrackProtection> cbcs = Map.of(1L, new TrackProtection(1, CencScheme.CBCS,
            new EncryptionParameters(1, 9, true, 0, KID, new byte[16]), -1));
    private final Cipher ctr;
    private final SecretKeySpec key = new SecretKeySpec(java.util.HexFormat.of().parseHex(KEY), "AES");

    public DecryptBenchmark() {
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public long decryptCencSegment() throws IOException {
        return decrypt(cenc, cencSegment);
    }

    @Benchmark
    public long decryptCbcsSegment() throws IOException {
        return decrypt(cbcs, cbcsSegment);
    }

    @Benchmark
    public byte[] bareAesCtr() throws GeneralSecurityException {
        for (int at = 0; at < raw.length; at += SAMPLE_BYTES) {
            ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(new byte[16]));
            ctr.update(raw, at, SAMPLE_BYTES, raw, at);
        }
        return raw;
    }

    private static long decrypt(Map<Long, TrackProtection> tracks, byte[] segment) throws IOException {
        try (var decryptor = new FragmentDecryptor(tracks, kid -> ContentKey.parse(KEY).orElseThrow(),
                FragmentDecryptor.Limits.DEFAULT)) {
            decryptor.decrypt(new ByteArrayInputStream(segment), OutputStream.nullOutputStream());
            return decryptor.bytesDecrypted();
        }
    }

    /** A moof of one traf (tfhd, trun with sizes, senc with subsamples) and its mdat of random bytes. */
    private static byte[] segment(int ivSize) {
        ByteBuffer trun = ByteBuffer.allocate(12 + 4 * SAMPLES).putInt(0x000201).putInt(SAMPLES).putInt(0);
        ByteBuffer senc = ByteBuffer.allocate(8 + SAMPLES * (ivSize + 8)).putInt(0x2).putInt(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            trun.putInt(SAMPLE_BYTES);
            senc.put(new byte[ivSize]).putShort((short) 1).putShort((short) CLEAR_BYTES)
                    .putInt(SAMPLE_BYTES - CLEAR_BYTES);
        }
        byte[] tfhd = ByteBuffer.allocate(8).putInt(0x020000).putInt(1).array();
        byte[] mfhd = ByteBuffer.allocate(8).putInt(0).putInt(1).array();
        byte[] trunBytes = trun.array();
        Box.Container moof = moof(mfhd, tfhd, trunBytes, senc.array());
        int offset = (int) BoxWriter.size(moof) + 8;
        ByteBuffer.wrap(trunBytes).putInt(8, offset);
        byte[] mdat = new byte[SAMPLES * SAMPLE_BYTES];
        new Random(42).nextBytes(mdat);
        return BoxWriter.toBytes(List.of(moof(mfhd, tfhd, trunBytes, senc.array()), new Box.Leaf("mdat", mdat)));
    }

    private static Box.Container moof(byte[] mfhd, byte[] tfhd, byte[] trun, byte[] senc) {
        var traf = new Box.Container("traf", false, new byte[0], List.of(new Box.Leaf("tfhd", tfhd),
                new Box.Leaf("trun", trun), new Box.Leaf("senc", senc)));
        return new Box.Container("moof", false, new byte[0], List.of(new Box.Leaf("mfhd", mfhd), traf));
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(DecryptBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        double megabytes = (double) SAMPLES * SAMPLE_BYTES / 1e6;
        System.out.printf("%nsegment: %d samples of %,d bytes = %.2f MB%n", SAMPLES, SAMPLE_BYTES, megabytes);
        for (RunResult result : results) {
            double perSecond = result.getPrimaryResult().getScore();
            System.out.printf("%-20s %,8.1f segments per second = %,8.1f MB/s on one core%n",
                    result.getParams().getBenchmark().replaceAll(".*\\.", ""), perSecond, perSecond * megabytes);
        }
    }
}
