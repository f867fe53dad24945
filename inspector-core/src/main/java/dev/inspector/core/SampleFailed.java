package dev.inspector.core;

/**
 * A native sample did not keep its STEP protocol (native-samples/README.md): it announced another step than the one
 * awaited, did not reach a step, stop or exit in time, or could not be started or continued. The message names the
 * sample, its pid and the tail of its output.
 */
public final class SampleFailed extends InspectorException {
    public SampleFailed(String message) {
        super(message);
    }

    public SampleFailed(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.SAMPLE_FAILED;
    }
}
