package dev.inspector.core.model;

import java.util.List;



/**
 * Every process at one pass (read by {@code procfs.ProcessScanner}) for {@code inspector ps} and the process picker.
 * Processes come and go during the scan and some files are closed to us; neither is fatal: a process that vanished is
 * counted in {@link #vanished()}, one whose maps or smaps_rollup we may not read gets null in those columns and is
 * counted in {@link #denied()}.
 */
public record ProcessList(List<Row> rows, int vanished, int denied) {

    /**
     * One process. {@code vsz} is stat vsize and {@code rss} status VmRSS, both in bytes (0 for a kernel thread);
     * {@code pss} comes from smaps_rollup and {@code mappings} from counting maps lines, each null when access was
     * denied (a kernel thread has 0 of both). {@code user} is the passwd name of the real uid, or the number.
     */
    public record Row(int pid, int ppid, int uid, String user, String state, String comm, List<String> cmdline,
                      long vsz, long rss, Long pss, Integer mappings, boolean kernelThread) {
        public Row {
            cmdline = List.copyOf(cmdline);
        }
    }

    public ProcessList {
        rows = List.copyOf(rows);
    }
}
