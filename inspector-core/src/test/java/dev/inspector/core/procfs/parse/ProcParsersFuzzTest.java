package dev.inspector.core.procfs.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Tag;

import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the /proc parsers (Jazzer). Property: whatever bytes a parser is given, it returns a
 * result or throws {@link MalformedProcFile}; any other exception is a finding. In {@code mvn verify} each method runs
 * over its checked-in inputs ({@code ProcParsersFuzzTestInputs/METHOD/} in the test resources: captured files, edge
 * cases and every crash found); with {@code JAZZER_FUZZ=1} one method fuzzes (docs/reliability.md, "Fuzzing").
 */
@Tag("jazzer")
class ProcParsersFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void maps(byte[] data) {
        try {
            MapsParser.parse(data, data.length, "maps");
        } catch (MalformedProcFile expected) {
            // a clear, typed rejection is the right answer to bad input
        }
    }

    @FuzzTest(maxDuration = "5m")
    void smaps(byte[] data) {
        try {
            SmapsParser.parse(data, data.length, "smaps");
        } catch (MalformedProcFile expected) {
            // rejected
        }
    }

    @FuzzTest(maxDuration = "5m")
    void stat(byte[] data) {
        try {
            StatParser.parse(data, data.length, "stat");
        } catch (MalformedProcFile expected) {
            // rejected
        }
    }

    @FuzzTest(maxDuration = "5m")
    void status(byte[] data) {
        try {
            StatusParser.parse(data, data.length, "status");
        } catch (MalformedProcFile expected) {
            // rejected
        }
    }

    @FuzzTest(maxDuration = "5m")
    void auxv(byte[] data) {
        try {
            AuxvParser.parse(data, data.length, "auxv");
        } catch (MalformedProcFile expected) {
            // rejected
        }
    }

    @FuzzTest(maxDuration = "5m")
    void syscall(byte[] data) {
        try {
            SyscallParser.parse(new String(data, StandardCharsets.UTF_8), "syscall");
        } catch (MalformedProcFile expected) {
            // rejected
        }
    }
}
