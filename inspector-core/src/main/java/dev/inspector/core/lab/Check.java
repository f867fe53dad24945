package dev.inspector.core.lab;

/**
 * One expectation judged against measurements: {@code verdict} is HOLDS or DIFFERS, {@code observed} says what the
 * kernel showed, in one line.
 */
public record Check(String expected, Verdict verdict, String observed) {
}
