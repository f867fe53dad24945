package dev.inspector.core.testing;

import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.residency.ResidencyService;
import dev.inspector.core.session.Host;

/**
 * The live kernel for tests: one inspection host per test JVM, so the kernel-feature probe runs once (production code
 * makes its own host per inspector process; nothing in core keeps one statically).
 */
public final class Live {

    private static final Host HOST = Host.system("test");

    private Live() {
    }

    public static Host host() {
        return HOST;
    }

    public static KernelFeatures features() {
        return HOST.features();
    }

    public static ResidencyService residency() {
        return HOST.residency();
    }
}
