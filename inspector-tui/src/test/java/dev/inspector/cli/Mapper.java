package dev.inspector.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A python3 child that maps and touches one shared anonymous region of a given size each time it reads a line on
 * stdin, and answers with the region's address: a process whose next change the test decides. Shared anonymous memory
 * is a shmem file of its own, so the kernel never merges the region with a neighbour: it appears as exactly one new
 * mapping. Everything else the script needs is imported before "ready".
 */
final class Mapper implements AutoCloseable {
    static final String SCRIPT = String.join("\n",
            "import ctypes, mmap, sys",
            "size = int(sys.argv[1])",
            "keep = []",
            "sys.stdout.write('ready\\n'); sys.stdout.flush()",
            "while sys.stdin.readline():",
            "    m = mmap.mmap(-1, size, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)",
            "    for i in range(0, size, mmap.PAGESIZE):",
            "        m[i] = 1",
            "    keep.append(m)",
            "    addr = ctypes.addressof(ctypes.c_char.from_buffer(m))",
            "    sys.stdout.write('mapped %x\\n' % addr); sys.stdout.flush()",
            "");

    final Process process;
    final long size;
    private final BufferedReader in;
    private final Writer out;

    Mapper(long size) throws IOException {
        this.size = size;
        process = new ProcessBuilder("python3", "-c", SCRIPT, Long.toString(size))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = in.readLine();
        if (!"ready".equals(first)) {
            throw new IllegalStateException("python mapper did not start: " + first);
        }
    }

    int pid() {
        return (int) process.pid();
    }

    /** Asks for one more region; returns its start address once it is mapped and every page touched. */
    long mapOne() throws IOException {
        out.write("map\n");
        out.flush();
        return answer();
    }

    /** Sends the request without waiting: the child maps while the caller does something else. */
    void requestOne() throws IOException {
        out.write("map\n");
        out.flush();
    }

    long answer() throws IOException {
        String l = in.readLine();
        if (l == null || !l.startsWith("mapped ")) {
            throw new IllegalStateException("python mapper answered " + l);
        }
        return Long.parseUnsignedLong(l.substring(7), 16);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
