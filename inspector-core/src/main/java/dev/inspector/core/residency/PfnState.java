package dev.inspector.core.residency;

/** Whether page frame numbers are part of a residency result, and why not when they are not. */
public enum PfnState {
    /** Read from pagemap with CAP_SYS_ADMIN: runs carry real PFNs. */
    KNOWN("PFNs read from pagemap (CAP_SYS_ADMIN)"),
    /** Read from pagemap without CAP_SYS_ADMIN: the kernel zeroes the PFN field, so frames are unknown, not 0. */
    HIDDEN("PFNs hidden: pagemap shows PFN 0 to readers without CAP_SYS_ADMIN (Linux 4.2+); run as root to see them"),
    /** PAGEMAP_SCAN reports page categories only, never frames. */
    NOT_COLLECTED("PFNs not collected: PAGEMAP_SCAN reports categories, not frames; ask for PFNs to use pagemap reads");

    private final String reason;

    PfnState(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
