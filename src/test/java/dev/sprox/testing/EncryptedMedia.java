package dev.sprox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Encrypted fragmented MP4 made at test time by real packagers: a short clip made by ffmpeg (H.264 video, AAC
 * audio), encrypted by Shaka Packager (npm {@code shaka-packager}, every Common Encryption scheme) and by ffmpeg's
 * own {@code cenc-aes-ctr}; and ffmpeg's per-frame MD5s ({@code -f framemd5}) to tell decoded pictures apart.
 */
public final class EncryptedMedia {
    private static final Path PACKAGER = Path.of("src/test/js/node_modules/shaka-packager/bin/packager-linux-x64");

    private EncryptedMedia() {}

    /** Two seconds of 25 fps test pattern and a 440 Hz tone, a key frame every second. */
    public static Path clip(Path dir) throws IOException {
        return clip(dir, 2);
    }

    /** Like {@link #clip(Path)}, {@code seconds} long: so many one-second segments once packaged. */
    public static Path clip(Path dir, int seconds) throws IOException {
        Path clip = dir.resolve("clip.mp4");
        run(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-profile:v", "main", "-pix_fmt", "yuv420p", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k", "-shortest", clip.toString());
        return clip;
    }

    /**
     * The clip packaged by Shaka Packager with {@code scheme} into {@code dir/<scheme>}: {@code v-init.mp4},
     * {@code v-1.m4s}, {@code v-2.m4s} and the same with {@code a-} for audio, plus {@code manifest.mpd}.
     */
    public static Path shaka(Path dir, Path clip, String scheme, String kidHex, String keyHex) throws IOException {
        Path out = Files.createDirectories(dir.resolve(scheme));
        run(packager(),
                "in=" + clip + ",stream=video,init_segment=" + out.resolve("v-init.mp4") + ",segment_template="
                        + out.resolve("v-$Number$.m4s"),
                "in=" + clip + ",stream=audio,init_segment=" + out.resolve("a-init.mp4") + ",segment_template="
                        + out.resolve("a-$Number$.m4s"),
                "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems", "CommonSystem",
                "--keys", "label=:key_id=" + kidHex + ":key=" + keyHex, "--clear_lead", "0",
                "--segment_duration", "1", "--generate_static_live_mpd",
                "--mpd_output", out.resolve("manifest.mpd").toString());
        return out;
    }

    /**
     * One stream of {@code media}, {@code audio} or {@code video}, packaged by Shaka Packager as {@link #shaka} does:
     * {@code a-init.mp4}, {@code a-1.m4s}, ... for audio, {@code v-} for video.
     */
    public static Path shakaStream(Path dir, Path media, String stream, String scheme, String kidHex, String keyHex)
            throws IOException {
        Path out = Files.createDirectories(dir.resolve(scheme));
        String prefix = stream.substring(0, 1);
        run(packager(),
                "in=" + media + ",stream=" + stream + ",init_segment=" + out.resolve(prefix + "-init.mp4")
                        + ",segment_template=" + out.resolve(prefix + "-$Number$.m4s"),
                "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems", "CommonSystem",
                "--keys", "label=:key_id=" + kidHex + ":key=" + keyHex, "--clear_lead", "0",
                "--segment_duration", "1");
        return out;
    }

    /**
     * The clip's video packaged by Shaka Packager with {@code scheme} and key rotation (a crypto period a second)
     * into {@code dir/<scheme>-rotation}, as {@link #shaka} names it: each fragment describes its key in a
     * {@code seig} sample group ({@code sbgp} and {@code sgpd}) rather than leaving it to the {@code tenc}.
     */
    public static Path shakaKeyRotation(Path dir, Path clip, String scheme, String kidHex, String keyHex)
            throws IOException {
        Path out = Files.createDirectories(dir.resolve(scheme + "-rotation"));
        run(packager(),
                "in=" + clip + ",stream=video,init_segment=" + out.resolve("v-init.mp4") + ",segment_template="
                        + out.resolve("v-$Number$.m4s"),
                "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems", "CommonSystem",
                "--keys", "label=:key_id=" + kidHex + ":key=" + keyHex, "--clear_lead", "0",
                "--segment_duration", "1", "--crypto_period_duration", "1");
        return out;
    }

    /**
     * The clip packaged by Shaka Packager with {@code scheme} as HLS into {@code dir/<scheme>-hls}: {@code master.m3u8}
     * naming {@code v.m3u8} and {@code a.m3u8}, whose {@code EXT-X-KEY} is {@code SAMPLE-AES-CTR} for {@code cenc}
     * ({@code SAMPLE-AES} for {@code cbcs}), with {@code v-init.mp4}, {@code v-1.m4s}... as for {@link #shaka}.
     */
    public static Path shakaHls(Path dir, Path clip, String scheme, String kidHex, String keyHex) throws IOException {
        Path out = Files.createDirectories(dir.resolve(scheme + "-hls"));
        run(packager(),
                "in=" + clip + ",stream=video,init_segment=" + out.resolve("v-init.mp4") + ",segment_template="
                        + out.resolve("v-$Number$.m4s") + ",playlist_name=v.m3u8",
                "in=" + clip + ",stream=audio,init_segment=" + out.resolve("a-init.mp4") + ",segment_template="
                        + out.resolve("a-$Number$.m4s") + ",playlist_name=a.m3u8,hls_group_id=audio",
                "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems", "CommonSystem",
                "--keys", "label=:key_id=" + kidHex + ":key=" + keyHex, "--clear_lead", "0",
                "--segment_duration", "1", "--hls_master_playlist_output", out.resolve("master.m3u8").toString());
        return out;
    }

    /**
     * The clip's video packaged by Shaka Packager with {@code scheme} on demand into {@code dir/<scheme>-ondemand}:
     * one file {@code v.mp4} (a {@code sidx}, then a fragment a second) behind a {@code SegmentBase} in
     * {@code manifest.mpd}, which players read by byte range.
     */
    public static Path shakaOnDemand(Path dir, Path clip, String scheme, String kidHex, String keyHex)
            throws IOException {
        Path out = Files.createDirectories(dir.resolve(scheme + "-ondemand"));
        run(packager(), "in=" + clip + ",stream=video,output=" + out.resolve("v.mp4"),
                "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems", "CommonSystem",
                "--keys", "label=:key_id=" + kidHex + ":key=" + keyHex, "--clear_lead", "0",
                "--segment_duration", "1", "--fragment_duration", "1",
                "--mpd_output", out.resolve("manifest.mpd").toString());
        return out;
    }

    /** The clip as one fragmented MP4 encrypted by ffmpeg's {@code cenc-aes-ctr} (whole video and audio samples). */
    public static Path ffmpegCenc(Path dir, Path clip, String kidHex, String keyHex) throws IOException {
        Path out = dir.resolve("ffmpeg-cenc.mp4");
        run(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-i", clip.toString(), "-c", "copy",
                "-encryption_scheme", "cenc-aes-ctr", "-encryption_key", keyHex, "-encryption_kid", kidHex,
                "-movflags", "frag_keyframe+empty_moov+default_base_moof", out.toString());
        return out;
    }

    /** The MD5 of each decoded frame of the first stream of {@code kind} ({@code v} or {@code a}), in order. */
    public static List<String> frameMd5(Path media, String kind) throws IOException {
        return md5s(run(ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", media.toString(), "-map",
                "0:" + kind + ":0", "-f", "framemd5", "-"));
    }

    /**
     * Like {@link #frameMd5} for a URL ffmpeg plays (an HLS playlist); a frame it could not decode is left out,
     * so garbage shows as a different list rather than as a failed run.
     */
    public static List<String> frameMd5Url(String url, String kind) throws IOException {
        return md5s(run(ffmpeg(), "-hide_banner", "-loglevel", "quiet", "-i", url, "-map", "0:" + kind + ":0",
                "-f", "framemd5", "-"));
    }

    /** Like {@link #frameMd5Url(String, String)} for the first {@code seconds} of a live stream. */
    public static List<String> frameMd5Url(String url, String kind, int seconds) throws IOException {
        return md5s(run(ffmpeg(), "-hide_banner", "-loglevel", "quiet", "-i", url, "-map", "0:" + kind + ":0",
                "-t", String.valueOf(seconds), "-f", "framemd5", "-"));
    }

    /** What ffmpeg made of a stream it played: how it exited, each frame line it printed, and what it logged. */
    public record Played(int exitCode, List<String> frames, String log) {
        /** The MD5s of stream {@code index}'s frames (0 the first mapped, 1 the second). */
        public List<String> md5s(int index) {
            return EncryptedMedia.md5s(String.join("\n", frames.stream().filter(l -> l.startsWith(index + ","))
                    .toList()));
        }
    }

    /**
     * Plays {@code url}'s first video and first audio stream as a viewer's ffmpeg would, printing frame MD5s and
     * logging warnings (where its HTTP client reports an error status); unlike {@link #frameMd5Url} a failure is an
     * answer here, not an AssertionError.
     */
    public static Played play(String url) throws IOException {
        Path log = Files.createTempFile("ffmpeg", ".log");
        try {
            Process process = new ProcessBuilder(ffmpeg().toString(), "-hide_banner", "-loglevel", "warning", "-i",
                    url, "-map", "0:v:0", "-map", "0:a:0", "-f", "framemd5", "-").redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("ffmpeg did not finish playing " + url + " within two minutes");
            }
            List<String> frames = printed.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            return new Played(process.exitValue(), frames, Files.readString(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The last column of each frame line ffmpeg's framemd5 muxer printed. */
    private static List<String> md5s(String printed) {
        var md5s = new ArrayList<String>();
        for (String line : printed.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                md5s.add(line.substring(line.lastIndexOf(',') + 1).strip());
            }
        }
        return md5s;
    }

    /** Files joined in order, as a player appends an init segment and its media segments. */
    public static Path concat(Path target, Path... parts) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Path part : parts) {
                try (InputStream in = Files.newInputStream(part)) {
                    in.transferTo(out);
                }
            }
        }
        return target;
    }

    private static Path packager() {
        if (!Files.isExecutable(PACKAGER)) {
            throw new AssertionError("npm package shaka-packager is not installed in src/test/js/node_modules;"
                    + " run scripts/test --setup-only");
        }
        return PACKAGER.toAbsolutePath();
    }

    /** Runs ffmpeg with {@code args}; returns what it printed. */
    public static String ffmpeg(String... args) throws IOException {
        return run(ffmpeg(), args);
    }

    private static Path ffmpeg() {
        return ExternalProgram.locate("ffmpeg", "ffmpeg");
    }

    /** Runs a program to completion within two minutes; a failure is an AssertionError with its output. */
    private static String run(Path program, String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within two minutes");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
