package dev.sprox.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shaka Player and hls.js in headless Chromium ({@code src/test/js/play.mjs}, Playwright driving Debian's
 * chromium; the pages {@code player.html} and {@code hls-player.html}), and Shaka Packager, all from the npm
 * packages {@code scripts/test} installs into {@code src/test/js/node_modules}. A missing piece fails the test
 * naming what to install.
 */
final class ClearKeyPlayer {
    static final Path SCRIPTS = Path.of("src/test/js");
    private static final Path MODULES = SCRIPTS.resolve("node_modules");

    private ClearKeyPlayer() {}

    /** The npm-installed packager binary for this machine. */
    static ExternalTool packager() {
        Path binary = MODULES.resolve("shaka-packager/bin/packager-linux-x64");
        return new ExternalTool(requireModule(binary, "shaka-packager"));
    }

    static Path shakaPlayerScript() {
        return requireModule(MODULES.resolve("shaka-player/dist/shaka-player.compiled.js"), "shaka-player");
    }

    static Path hlsJsScript() {
        return requireModule(MODULES.resolve("hls.js/dist/hls.min.js"), "hls.js");
    }

    private static Path requireModule(Path file, String module) {
        if (!Files.isReadable(file)) {
            throw new AssertionError("npm package " + module + " is not installed in " + MODULES
                    + "; run scripts/test, or: (cd " + SCRIPTS + " && npm ci)");
        }
        return file;
    }

    /** What the page reported: {@code playing}, {@code error} with Shaka's code, or {@code stalled}. */
    record Playback(String json) {
        boolean playing() {
            return json.contains("\"state\":\"playing\"");
        }

        String errorCode() {
            return json.replaceAll("(?s).*\"code\":\"?([^,\"}]*)\"?.*", "$1");
        }
    }

    /**
     * Opens {@code pageUrl} in a fresh headless Chromium profile and waits for the page's report.
     *
     * @param chromiumFlags added to the usual ones, e.g. {@code --ignore-certificate-errors}
     */
    static Playback play(String pageUrl, Path userDataDirectory, String... chromiumFlags) {
        ExternalTool.require("chromium", "chromium");
        requireModule(MODULES.resolve("playwright-core/package.json"), "playwright-core");
        ExternalTool node = ExternalTool.require("node", "nodejs");
        var args = new ArrayList<>(List.of(SCRIPTS.resolve("play.mjs").toString(), pageUrl,
                userDataDirectory.toString()));
        args.addAll(List.of(chromiumFlags));
        ExternalTool.Finished finished = node.run(Duration.ofSeconds(180), args.toArray(String[]::new));
        List<String> reports = finished.output().lines().filter(l -> l.startsWith("{\"state\"")).toList();
        if (finished.exitCode() != 0 || reports.isEmpty()) {
            throw new AssertionError("the player page did not report: " + finished);
        }
        return new Playback(reports.getLast());
    }
}
