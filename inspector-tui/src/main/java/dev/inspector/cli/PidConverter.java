package dev.inspector.cli;

import dev.inspector.core.session.Host;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Accepts a positive decimal PID or {@code self} (the inspector's own process), as {@link Host#parsePid} reads it. */
public final class PidConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            return Host.parsePid(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a process id (expected a positive number or 'self')");
        }
    }
}
