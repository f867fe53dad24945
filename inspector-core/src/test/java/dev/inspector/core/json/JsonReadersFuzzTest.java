package dev.inspector.core.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Tag;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Coverage-guided fuzzing of the snapshot and timeline readers (Jazzer): any bytes give a document or one
 * {@link BadInput} line; any other exception is a finding. Inputs: {@code JsonReadersFuzzTestInputs/METHOD/} (a real
 * snapshot and timeline of a small process, cut down, and every crash found).
 */
@Tag("jazzer")
class JsonReadersFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void snapshot(byte[] data) {
        try {
            SnapshotJson.read(new ByteArrayInputStream(data), "fuzz");
        } catch (BadInput expected) {
            assertFalse(expected.getMessage().contains("\n"), expected.getMessage());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void timeline(byte[] data) {
        try {
            TimelineReader.read(new ByteArrayInputStream(data), "fuzz");
        } catch (BadInput expected) {
            assertFalse(expected.getMessage().contains("\n"), expected.getMessage());
        }
    }
}
