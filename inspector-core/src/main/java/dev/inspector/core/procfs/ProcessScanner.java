package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.inspector.core.model.ProcessList;
import dev.inspector.core.model.ProcessList.Row;

/** Reads every process of a proc root into a {@link ProcessList}: stat, status, cmdline, smaps_rollup, maps count. */
public final class ProcessScanner {

    private ProcessScanner() {
    }

    /** Scans with the passwd file beside the proc root ({@code /etc/passwd} for {@code /proc}). */
    public static ProcessList scan(ProcFs fs) {
        return scan(fs, fs.root().resolveSibling("etc").resolve("passwd"));
    }

    public static ProcessList scan(ProcFs fs, Path passwd) {
        Map<Integer, String> users = readPasswd(passwd);
        List<Integer> pids = listPids(fs);
        List<Row> rows = new ArrayList<>(pids.size());
        int vanished = 0;
        int denied = 0;
        for (int pid : pids) {
            ProcessFiles f = new ProcessFiles(fs, pid);
            try {
                Stat stat = f.stat();
                Status status = f.status();
                List<String> cmdline = f.cmdline();
                boolean kthread = stat.isKernelThread();
                Long pss;
                Integer mappings;
                boolean wasDenied = false;
                if (kthread) {
                    pss = 0L;
                    mappings = 0;
                } else {
                    try {
                        Smaps rollup = f.smapsRollup();
                        pss = rollup == null ? 0L : rollup.pss();
                    } catch (AccessDenied e) {
                        pss = null;
                        wasDenied = true;
                    }
                    try {
                        mappings = f.countMappings();
                    } catch (AccessDenied e) {
                        mappings = null;
                        wasDenied = true;
                    }
                }
                Long rss = status.memoryBytes("VmRSS");
                int uid = status.uid().real();
                String user = users.getOrDefault(uid, Integer.toUnsignedString(uid));
                rows.add(new Row(pid, stat.ppid(), uid, user, String.valueOf(stat.state()), stat.comm(), cmdline,
                        stat.vsize(), rss == null ? 0 : rss, pss, mappings, kthread));
                if (wasDenied) {
                    denied++;
                }
            } catch (ProcessGone | NoSuchProcess e) {
                vanished++;
            } catch (AccessDenied e) {
                denied++; // stat/status are world-readable; hidepid= mounts can still refuse them
            }
        }
        return new ProcessList(rows, vanished, denied);
    }

    /** The pids in the proc root, ascending. */
    public static List<Integer> pids(ProcFs fs) {
        return listPids(fs);
    }

    /** uid → name from the passwd file beside the proc root, as {@link #scan(ProcFs)} reads it. */
    public static Map<Integer, String> users(ProcFs fs) {
        return readPasswd(fs.root().resolveSibling("etc").resolve("passwd"));
    }

    private static List<Integer> listPids(ProcFs fs) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fs.root())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (ProcessFiles.isDecimal(n)) {
                    out.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw fs.translate(e, fs.root(), 0);
        }
        Collections.sort(out);
        return out;
    }

    /** uid → name from a passwd file, read once; an absent file gives an empty map (numbers are shown). */
    static Map<Integer, String> readPasswd(Path passwd) {
        Map<Integer, String> out = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            return out; // unreadable passwd: fall back to numbers, which are still correct
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try {
                    out.putIfAbsent(Integer.parseUnsignedInt(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a comment or a NIS "+" line: no uid to map
                }
            }
        }
        return out;
    }
}
