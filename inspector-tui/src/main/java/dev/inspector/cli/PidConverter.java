package dev.inspector.cli;

import dev.inspector.core.procfs.ProcFs;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Accepts a positive decimal PID or {@code self} (the inspector's own process). */
public final class PidConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        if ("self".equals(value)) {
            return ProcFs.selfPid();
        }
        try {
            int pid = Integer.parseInt(value);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("'" + value + "' is not a process id (expected a positive number or 'self')");
    }
}
