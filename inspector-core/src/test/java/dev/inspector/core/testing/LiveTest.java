package dev.inspector.core.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class of the live lane: it reads the running kernel's /proc or /sys, starts processes (the native
 * samples, a child, gcc or readelf), or calls the kernel through JNA. {@code mvn -B verify} runs the fast lane (every
 * class without this tag: parsers, fixture trees, pure logic) first, then this one; {@code -Pfast} runs only the fast
 * lane. {@link Lanes} fails the build when a class that does such things lacks the tag.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("live")
public @interface LiveTest {

    /** The JUnit tag this annotation carries, as surefire's {@code groups} names it. */
    String TAG = "live";
}
