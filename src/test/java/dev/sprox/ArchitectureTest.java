package dev.sprox;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph as docs/architecture.md draws it: each package may use only the packages listed for it, all
 * of them lower, so the graph has no cycles and a newcomer can tell each package's room by its place.
 */
class ArchitectureTest {
    /** Each package and what it may use, from the bottom up; a package may use only packages above it here. */
    private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("http", Set.of());
        MAY_USE.put("http2", Set.of("http"));
        MAY_USE.put("hls", Set.of());
        MAY_USE.put("dash", Set.of("hls"));
        MAY_USE.put("mp4", Set.of());
        MAY_USE.put("probe", Set.of("hls"));
        MAY_USE.put("security", Set.of("http"));
        MAY_USE.put("tls", Set.of("http", "security"));
        MAY_USE.put("server", Set.of("http", "http2", "security", "tls"));
        MAY_USE.put("telemetry", Set.of("http", "security", "tls", "server"));
        MAY_USE.put("upstream", Set.of("http", "hls", "security", "tls", "telemetry"));
        MAY_USE.put("pipeline", Set.of("http", "security", "tls", "server", "telemetry", "upstream"));
        Set<String> handlerBase = Set.of("http", "hls", "dash", "security", "tls", "server", "telemetry", "upstream",
                "pipeline");
        MAY_USE.put("ops", handlerBase);
        MAY_USE.put("direct", handlerBase);
        MAY_USE.put("drm", union(handlerBase, Set.of("direct", "mp4")));
        MAY_USE.put("route", union(handlerBase, Set.of("drm", "mp4")));
        MAY_USE.put("config", union(handlerBase, Set.of("http2", "ops", "route", "direct", "drm")));
        MAY_USE.put("runtime", union(MAY_USE.get("config"), Set.of("config")));
        MAY_USE.put("cli", union(MAY_USE.get("runtime"), Set.of("runtime", "probe")));
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sprox");
    }

    @Test
    void everyPackageHasItsPlace() {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName)
                .filter(name -> name.startsWith("dev.sprox."))
                .map(name -> name.substring("dev.sprox.".length()).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages,
                "a package was added or removed: give it its place in MAY_USE and in docs/architecture.md");
    }

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : MAY_USE.keySet()) {
            layers = layers.layer(name).definedBy("dev.sprox." + name + "..");
        }
        for (var entry : MAY_USE.entrySet()) {
            layers = entry.getValue().isEmpty()
                    ? layers.whereLayer(entry.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(entry.getKey()).mayOnlyAccessLayers(entry.getValue().toArray(String[]::new));
        }
        layers.check(classes);
    }

    @Test
    void thePackageGraphHasNoCycles() {
        slices().matching("dev.sprox.(*)..").should().beFreeOfCycles().check(classes);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
