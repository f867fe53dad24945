package dev.inspector.core;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.elf.HostileElf;
import dev.inspector.core.elf.Tools;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.json.TimelineWriter;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Fixtures;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes the seed inputs of the fuzz tests into the test resources (run from inspector-core; see
 * docs/reliability.md, "Fuzzing"): captured /proc files from the fixture trees, hostile ELF shapes and a small
 * stripped executable built with gcc, and a snapshot and a timeline of a real {@code sleep} process cut to its first
 * regions. Inputs found by fuzzing (crashes) are added next to these by Jazzer itself and kept.
 */
public final class FuzzSeeds {

    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path res = Path.of("src/test/resources/dev/inspector/core");
        Path parse = res.resolve("procfs/parse/ProcParsersFuzzTestInputs");
        Path tricky = Fixtures.pidDir("tricky");
        Path sleep = Fixtures.pidDir("sleep");
        copy(tricky.resolve("maps"), parse.resolve("maps/tricky"));
        copy(sleep.resolve("maps"), parse.resolve("maps/sleep"));
        copy(tricky.resolve("smaps"), parse.resolve("smaps/tricky"));
        copy(sleep.resolve("smaps_rollup"), parse.resolve("smaps/rollup"));
        copy(tricky.resolve("stat"), parse.resolve("stat/tricky"));
        copy(sleep.resolve("stat"), parse.resolve("stat/sleep"));
        copy(tricky.resolve("status"), parse.resolve("status/tricky"));
        copy(sleep.resolve("status"), parse.resolve("status/sleep"));
        copy(sleep.resolve("auxv"), parse.resolve("auxv/sleep"));
        copy(tricky.resolve("auxv"), parse.resolve("auxv/tricky"));
        copy(tricky.resolve("task/" + Fixtures.pid("tricky") + "/syscall"), parse.resolve("syscall/tricky"));
        write(parse.resolve("syscall/running"), "running\n".getBytes());
        write(parse.resolve("syscall/blocked-outside"), "-1 0x7ffc9c1b0e28 0x7f1c2b6e4a3d\n".getBytes());

        Path elf = res.resolve("elf/ElfReaderFuzzTestInputs/parse");
        write(elf.resolve("huge-names"), HostileElf.hugeNames(8, 300));
        write(elf.resolve("distinct-names"), HostileElf.distinctNames(16, 12));
        write(elf.resolve("note-bomb"), HostileElf.noteBomb(8, 256));
        write(elf.resolve("overlapping"), HostileElf.overlapping());
        write(elf.resolve("counts-past-file"), HostileElf.countsPastFile());
        write(elf.resolve("phnum-past-file"), HostileElf.phnumPastFile());
        write(elf.resolve("shstrndx-out-of-range"), HostileElf.shstrndxOutOfRange().get(0));
        write(elf.resolve("shstrndx-xindex"), HostileElf.shstrndxOutOfRange().get(1));
        write(elf.resolve("elf32"), HostileElf.otherClassAndOrder().get(0));
        write(elf.resolve("big-endian"), HostileElf.otherClassAndOrder().get(1));
        Path tmp = Files.createTempDirectory("seeds");
        Path tiny = Tools.gcc(tmp, "tiny", "int main(void) { return 0; }\n", "-Os", "-s", "-Wl,--build-id")
                .orElseThrow(() -> new IllegalStateException("gcc is needed for the ELF seed"));
        copy(tiny, elf.resolve("tiny-stripped-executable"));

        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.sleep(100);
            Snapshot s = dev.inspector.core.session.Host.system("0.1.0").session((int) p.pid())
                    .snapshot(SnapshotOptions.maps());
            Snapshot small = new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(), s.host(), s.process(),
                    s.regions().subList(0, 4), s.threads(), s.bases(), s.kernel(), s.rollup());
            Path json = res.resolve("json/JsonReadersFuzzTestInputs");
            write(json.resolve("snapshot/sleep"), SnapshotJson.toJson(small).getBytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TimelineWriter w = new TimelineWriter(out, false, "seed")) {
                w.append(small);
                Snapshot later = new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt().plusSeconds(1), s.host(),
                        s.process(), s.regions().subList(1, 5), s.threads(), s.bases(), s.kernel(), s.rollup());
                w.append(later);
                w.exit(Instant.parse("2030-01-01T00:00:00Z"), 0, "exited");
            }
            write(json.resolve("timeline/sleep"), out.toByteArray());
        } finally {
            p.destroy();
        }
        System.out.println("seeds written under " + res.toAbsolutePath());
    }

    private static void copy(Path from, Path to) throws Exception {
        write(to, Files.readAllBytes(from));
    }

    private static void write(Path to, byte[] b) throws Exception {
        Files.createDirectories(to.getParent());
        Files.write(to, b);
    }

}
