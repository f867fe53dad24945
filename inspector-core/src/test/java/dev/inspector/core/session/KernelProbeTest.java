package dev.inspector.core.session;

import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.procfs.ProcFs;

import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class KernelProbeTest {

    @Test
    void aHostProbesOnceAndGivesAReasonForEachFeature() {
        Host host = Host.system("test");
        KernelFeatures k = host.features();
        assertSame(k, host.features());
        for (KernelFeatures.Feature f : new KernelFeatures.Feature[] {k.pagemapScan(), k.procmapQuery(), k.softDirty(),
                k.kpageflags(), k.pfnsVisible(), k.anonVmaName(), k.zeroPage()}) {
            assertFalse(f.reason().isBlank());
        }
        // another probe in the same process decides the same
        KernelFeatures again = new KernelProbe(ProcFs.system()).probe();
        assertEquals(k.describe().size(), again.describe().size());
        assertEquals(k.pagemapScan().available(), again.pagemapScan().available());
        assertEquals(k.zeroPage().available(), again.zeroPage().available());
    }

    @Test
    void aFixtureHostProbesNothingAndSaysWhy() {
        Host host = Host.fixture(java.nio.file.Paths.get("/nonexistent/proc"), "test");
        assertFalse(host.isLive());
        assertFalse(host.features().pagemapScan().available());
        assertTrue(host.features().pagemapScan().reason().contains("captured /proc tree"), host.features()
                .pagemapScan().reason());
    }

    @Test
    void pfnVisibilityMatchesOurCapabilities() throws Exception {
        KernelFeatures k = Live.features();
        boolean capSysAdmin = hasCapSysAdmin();
        assertEquals(capSysAdmin, k.pfnsVisible().available(), k.pfnsVisible().reason());
        assertEquals(capSysAdmin && ZeroPage.shared(), k.zeroPfn() > 0);
    }

    @Test
    void zeroPageDecisionAgreesWithTheOracle() {
        KernelFeatures k = Live.features();
        assertEquals(ZeroPage.shared(), k.zeroPage().available(), k.zeroPage().reason());
        assertEquals(!ZeroPage.shared(), k.noZeroPage(), k.zeroPage().reason());
    }

    @Test
    void kpageflagsReadabilityMatchesTheFileMode() {
        KernelFeatures k = Live.features();
        Path p = Paths.get("/proc/kpageflags");
        assertEquals(Files.isReadable(p), k.kpageflags().available(), k.kpageflags().reason());
    }

    @Test
    void softDirtyProbeAgreesWithTheKernelConfigWhenItIsPublished() throws Exception {
        KernelFeatures k = Live.features();
        Path cfg = Paths.get("/boot/config-" + System.getProperty("os.version"));
        if (Files.isReadable(cfg)) {
            boolean configured = Files.readAllLines(cfg).contains("CONFIG_MEM_SOFT_DIRTY=y");
            assertEquals(configured, k.softDirty().available(), k.softDirty().reason());
        } else {
            // Without the config, the probe's own evidence must be stated in the reason.
            assertTrue(k.softDirty().reason().contains("bit 55") || k.softDirty().reason().contains("clear_refs"));
        }
    }

    static boolean hasCapSysAdmin() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (caps & (1L << 21)) != 0; // CAP_SYS_ADMIN = 21
            }
        }
        throw new AssertionError("no CapEff in /proc/self/status");
    }
}
