package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.http2.Http2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listeners[].http2}: defaults, overrides key by key, and every wrong value at its position. */
class Http2ConfigTest {
    @TempDir
    Path dir;

    private LoadResult load(String routesYaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), routesYaml);
        return new ConfigLoader(name -> null).load(dir);
    }

    @Test
    void aListenerWithoutTheBlockOffersH2ButNotH2c() throws IOException {
        var config = assertInstanceOf(LoadResult.Valid.class, load("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"))
                .config();
        assertEquals(Http2Config.DEFAULT, config.listeners().getFirst().http2());
        assertEquals(List.of(true, false, 100, 65_535, 16_384, 32_768), List.of(Http2Config.DEFAULT.enabled(),
                Http2Config.DEFAULT.h2c(), Http2Config.DEFAULT.maxConcurrentStreams(),
                Http2Config.DEFAULT.initialWindowSize(), Http2Config.DEFAULT.maxFrameSize(),
                Http2Config.DEFAULT.maxHeaderListSize()));
    }

    @Test
    void valuesOverrideTheDefaultsKeyByKey() throws IOException {
        var config = assertInstanceOf(LoadResult.Valid.class, load("""
                listeners:
                  - id: a
                    host: 127.0.0.1
                    port: 80
                    http2: {h2c: true, max_concurrent_streams: 250, initial_window_size: 1048576}
                """)).config();
        assertEquals(new Http2Config(true, true, 250, 1_048_576, 16_384, 32_768), config.listeners().getFirst().http2());
    }

    @Test
    void wrongValuesAreReportedWithTheirPositions() throws IOException {
        var problems = assertInstanceOf(LoadResult.Invalid.class, load("""
                listeners:
                  - id: a
                    host: 127.0.0.1
                    port: 80
                    http2:
                      max_concurrent_streams: 0
                      initial_window_size: 1000
                      max_frame_size: 16777216
                      max_header_list_size: 10
                      push: true
                  - id: b
                    host: 127.0.0.1
                    port: 443
                    tls: {certificates: []}
                    http2: {h2c: true}
                  - id: c
                    host: 127.0.0.1
                    port: 81
                    http2: {enabled: false, h2c: true}
                """)).problems().stream().map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
        assertEquals(List.of(
                "DIR/routes.yaml:6:31 listeners[0].http2.max_concurrent_streams: must be between 1 and 1000, found 0",
                "DIR/routes.yaml:7:28 listeners[0].http2.initial_window_size: must be between 65535 and 16777216, found 1000",
                "DIR/routes.yaml:8:23 listeners[0].http2.max_frame_size: must be between 16384 and 16777215, found 16777216",
                "DIR/routes.yaml:9:29 listeners[0].http2.max_header_list_size: must be between 1024 and 1048576, found 10",
                "DIR/routes.yaml:10:7 listeners[0].http2.push: unknown key"),
                problems.stream().filter(p -> p.contains("listeners[0]")).toList());
        assertEquals(List.of(
                "DIR/routes.yaml:15:18 listeners[1].http2.h2c: h2c is HTTP/2 without TLS; a TLS listener offers h2 through ALPN already",
                "DIR/routes.yaml:19:34 listeners[2].http2.h2c: h2c needs enabled: true"),
                problems.stream().filter(p -> p.contains("h2c")).toList());
    }
}
