package dev.inspector.cli.bench;

import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class BenchEnvTest {

    @Test
    void aMissingSampleProgramIsAUsageErrorSayingHowToBuildIt(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchEnv.program(SampleDirectory.at(tmp), "sparse_big"));
        assertTrue(e.getMessage().contains("mvn -pl native-samples compile"), e.getMessage());
    }

    /** bench snapshot's target: many_vmas held after ready, running (not stopped), gone after close(). */
    @Test
    @EnabledOnOs(OS.LINUX)
    void theSnapshotTargetIsHeldRunningAndEndedOnClose() throws Exception {
        int pid;
        try (SampleProgram s = BenchSnapshotCommand.startManyVmas(BenchEnv.repo(), 10)) {
            pid = s.pid();
            Thread.sleep(100);
            assertEquals('S', SampleProgram.state(pid), "blocked reading stdin, not stopped");
            assertTrue(Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps")).size() >= 16);
        }
        assertFalse(Files.exists(Path.of("/proc", Integer.toString(pid))), "many_vmas " + pid + " outlived close()");
    }
}
