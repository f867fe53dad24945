package dev.inspector.core.sys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Structure layouts and ioctl numbers against include/uapi/linux/fs.h. */
class LayoutTest {

    @Test
    void pmScanArgIsTwelveU64() {
        PmScanArg a = new PmScanArg();
        assertEquals(96, a.size());
        assertEquals(PmScanArg.SIZE, a.size());
        assertEquals(32, a.offsetOf("walk_end"));
        assertEquals(88, a.offsetOf("return_mask"));
    }

    @Test
    void pageRegionIsThreeU64() {
        PageRegion r = new PageRegion();
        assertEquals(24, r.size());
        assertEquals(PageRegion.SIZE, r.size());
        assertEquals(PageRegion.OFFSET_END, r.offsetOf("end"));
        assertEquals(PageRegion.OFFSET_CATEGORIES, r.offsetOf("categories"));
    }

    @Test
    void procmapQueryHasNoPadding() {
        ProcmapQueryArg q = new ProcmapQueryArg();
        assertEquals(104, q.size());
        assertEquals(ProcmapQueryArg.SIZE, q.size());
        assertEquals(48, q.offsetOf("vma_page_size")); // a __u64 since the merged version
        assertEquals(72, q.offsetOf("dev_major"));
        assertEquals(84, q.offsetOf("build_id_size"));
        assertEquals(88, q.offsetOf("vma_name_addr"));
        assertEquals(96, q.offsetOf("build_id_addr"));
    }

    @Test
    void ioctlNumbersFollowTheIocMacro() {
        // _IOWR('f', 16, 96) = 3 << 30 | 96 << 16 | 'f' << 8 | 16
        assertEquals(0xC0606610L, Ioc.PAGEMAP_SCAN);
        // _IOWR('f', 17, 104); the same literal appears in blazesym's PROCMAP_QUERY binding
        assertEquals(0xC0686611L, Ioc.PROCMAP_QUERY);
        assertEquals(0x80000000L | (8L << 16) | ('x' << 8) | 1, Ioc.ioc(Ioc.READ, 'x', 1, 8));
    }
}
