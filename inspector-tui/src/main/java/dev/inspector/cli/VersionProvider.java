package dev.inspector.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version from the build (a filtered resource), plus the runtime it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        // The jar's manifest first: looking up a resource walks the boot and platform loaders (~4 ms of start-up).
        String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        // Classes run from a directory (tests, an IDE) have no manifest: the filtered properties file.
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/inspector-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": the version is informational
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "inspector " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
