package dev.inspector.cli;

import dev.inspector.core.model.ProcessList;

import java.util.ArrayList;
import java.util.List;

/**
 * Selecting processes by name, as {@code ps -C NAME} does: a process is named NAME when its command name (comm, the
 * kernel's 15-character name) or the file name of its program (the last part of argv[0]) is NAME. The inspector's
 * own process is never selected (like pgrep), so {@code -C java} means the other JVMs.
 */
final class ProcessNames {

    private ProcessNames() {
    }

    static boolean named(ProcessList.Row r, String name) {
        if (name.equals(r.comm())) {
            return true;
        }
        if (r.cmdline().isEmpty()) {
            return false;
        }
        String argv0 = r.cmdline().get(0);
        int slash = argv0.lastIndexOf('/');
        return name.equals(slash < 0 ? argv0 : argv0.substring(slash + 1));
    }

    /** The PIDs of the processes named {@code name}, in PID order, the inspector's own left out. */
    static List<Integer> pidsOf(ProcessList list, String name) {
        return pidsOf(list, name, false);
    }

    /**
     * As {@link #pidsOf(ProcessList, String)}; with {@code withMemory}, only processes that have a user address space:
     * kernel threads and zombies are left out (a name chooses what to look at; their memory is not there).
     */
    static List<Integer> pidsOf(ProcessList list, String name, boolean withMemory) {
        int self = dev.inspector.core.session.Host.parsePid("self");
        List<Integer> out = new ArrayList<>();
        for (ProcessList.Row r : list.rows()) {
            if (r.pid() != self && named(r, name) && !(withMemory && !hasMemory(r))) {
                out.add(r.pid());
            }
        }
        out.sort(null);
        return out;
    }

    /** False for a kernel thread and a zombie (stat state Z, or X in the instant before it is gone). */
    static boolean hasMemory(ProcessList.Row r) {
        return !r.kernelThread() && !"Z".equals(r.state()) && !"X".equals(r.state());
    }
}
