package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test (its own failsafe execution, see pom.xml) and reads every line the suite
 * logged: the unit tests' JVM, the integration tests' JVM and every sprox process they started. None may
 * carry a secret the tests handed to sprox, whatever the test that wrote it was checking.
 */
class SecretsNeverLoggedIT {

    @Test
    void noSecretReachedAnyLogLineOfTheWholeSuite() throws IOException {
        List<Path> files = TestSecrets.logFiles();
        var names = files.stream().map(f -> f.getFileName().toString()).toList();
        // Without these the scan would pass by reading nothing. (it.log appears only when code in the
        // integration tests' own JVM logged something.)
        assertTrue(names.containsAll(List.of("unit.log", "processes.log")), "log files: " + names);
        var leaks = new ArrayList<String>();
        long lines = 0;
        boolean accessLogSeen = false;
        for (Path file : files) {
            List<String> content = Files.readAllLines(file, StandardCharsets.UTF_8);
            lines += content.size();
            accessLogSeen |= content.stream().anyMatch(l -> l.contains("\"logger\":\"sprox.access\""));
            TestSecrets.leaks(content).forEach(l -> leaks.add(file.getFileName() + ": " + l));
        }
        assertTrue(accessLogSeen, "no access-log line among " + lines + " lines: the scan would prove nothing");
        assertEquals(List.of(), leaks, "secrets in the suite's logs");
    }
}
