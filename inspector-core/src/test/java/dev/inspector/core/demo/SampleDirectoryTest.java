package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleDirectoryTest {

    @Test
    void samplesAreFoundAboveAStartingDirectory(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("native-samples/target/bin"));
        Path deep = Files.createDirectories(tmp.resolve("inspector-tui/target/classes"));
        assertEquals(Optional.of(bin), SampleDirectory.findAbove(deep));
        assertEquals(Optional.of(bin), SampleDirectory.findAbove(tmp));
        assertEquals(Optional.empty(), SampleDirectory.findAbove(tmp.getRoot()));
        assertEquals(Path.of("/given"), SampleDirectory.find(Path.of("/given")).orElseThrow().path());
    }

    @Test
    void theSystemPropertyComesBeforeTheSearch(@TempDir Path tmp) {
        String before = System.getProperty(SampleDirectory.DIR_PROPERTY);
        try {
            System.setProperty(SampleDirectory.DIR_PROPERTY, tmp.toString());
            assertEquals(tmp, SampleDirectory.find(null).orElseThrow().path());
            assertEquals(tmp, SampleDirectory.locate().path());
            System.setProperty(SampleDirectory.DIR_PROPERTY, tmp.resolve("missing").toString());
            BadInput e = assertThrows(BadInput.class, SampleDirectory::locate);
            assertTrue(e.getMessage().contains("mvn -pl native-samples compile"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(SampleDirectory.DIR_PROPERTY);
            } else {
                System.setProperty(SampleDirectory.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void aMissingOrNonExecutableProgramSaysHowToBuildIt(@TempDir Path tmp) throws Exception {
        SampleDirectory dir = SampleDirectory.at(tmp);
        BadInput e = assertThrows(BadInput.class, () -> dir.program("sparse_big"));
        assertTrue(e.getMessage().contains("'sparse_big'") && e.getMessage().contains("mvn -pl native-samples compile")
                && e.getMessage().contains("--samples DIR"), e.getMessage());
        // access(X_OK) fails without any x bit, for root too
        Files.writeString(tmp.resolve("typical"), "not executable");
        assertThrows(BadInput.class, () -> dir.program("typical"));
        assertThrows(BadInput.class, () -> dir.start("sparse_big"));
        assertThrows(BadInput.class, () -> dir.run(java.time.Duration.ofSeconds(1), "sparse_big"));
    }
}
