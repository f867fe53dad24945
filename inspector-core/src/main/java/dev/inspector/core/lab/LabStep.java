package dev.inspector.core.lab;

/** A step of the lab, as listed by {@code inspector lab --list}: its name (for {@code --step}) and what it does. */
public record LabStep(String name, String title) {
}
