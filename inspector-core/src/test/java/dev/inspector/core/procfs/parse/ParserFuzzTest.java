package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: whatever bytes a parser is given, it returns a result or throws {@link MalformedProcFile}; any other
 * exception (index out of bounds, number format, null pointer) is a bug. Inputs are real captured files mutated by
 * a seeded Random (byte flips, deletions, duplications, truncations, splices of kernel-like tokens) plus random
 * bytes, so a failure is reproducible from the seed and case number.
 */
class ParserFuzzTest {

    private static final long SEED = 0x5eedL;
    private static final int CASES_PER_FILE = 800;
    private static final byte[][] TOKENS = {
            " (deleted)".getBytes(), "\\012".getBytes(), "[anon:".getBytes(), "]".getBytes(), "(".getBytes(),
            ")".getBytes(), " kB".getBytes(), ":".getBytes(), "\n".getBytes(), "-".getBytes(), " ".getBytes(),
            "ffffffffffffffff".getBytes(), "18446744073709551616".getBytes(), "-1".getBytes(), "\t".getBytes(),
            "VmFlags:".getBytes(), "unlimited".getBytes(), "0x".getBytes(), new byte[] {0}, new byte[] {(byte) 0xff},
    };

    @Test
    void parsersOnlyReturnOrThrowMalformed() throws IOException {
        Random rnd = new Random(SEED);
        Path sleep = Fixtures.pidDir("sleep");
        Path tricky = Fixtures.pidDir("tricky");
        List<Object[]> targets = new ArrayList<>();
        targets.add(new Object[] {"maps", Files.readAllBytes(tricky.resolve("maps")),
                (Function<byte[], Object>) b -> MapsParser.parse(b, b.length, "maps")});
        targets.add(new Object[] {"smaps", Files.readAllBytes(tricky.resolve("smaps")),
                (Function<byte[], Object>) b -> SmapsParser.parse(b, b.length, "smaps")});
        targets.add(new Object[] {"smaps_rollup", Files.readAllBytes(sleep.resolve("smaps_rollup")),
                (Function<byte[], Object>) b -> SmapsRollupParser.parse(b, b.length, "rollup")});
        targets.add(new Object[] {"stat", Files.readAllBytes(tricky.resolve("stat")),
                (Function<byte[], Object>) b -> StatParser.parse(b, b.length, "stat")});
        targets.add(new Object[] {"status", Files.readAllBytes(sleep.resolve("status")),
                (Function<byte[], Object>) b -> StatusParser.parse(b, b.length, "status")});
        targets.add(new Object[] {"limits", Files.readAllBytes(sleep.resolve("limits")),
                (Function<byte[], Object>) b -> LimitsParser.parse(new String(b, StandardCharsets.UTF_8), "limits")});
        targets.add(new Object[] {"auxv", Files.readAllBytes(sleep.resolve("auxv")),
                (Function<byte[], Object>) b -> AuxvParser.parse(b, b.length, "auxv")});
        targets.add(new Object[] {"syscall", Files.readAllBytes(tricky.resolve("task/" + Fixtures.pid("tricky")
                + "/syscall")),
                (Function<byte[], Object>) b -> SyscallParser.parse(new String(b, StandardCharsets.UTF_8), "sc")});
        int accepted = 0;
        int rejected = 0;
        for (Object[] t : targets) {
            String name = (String) t[0];
            byte[] original = (byte[]) t[1];
            @SuppressWarnings("unchecked")
            Function<byte[], Object> parser = (Function<byte[], Object>) t[2];
            for (int c = 0; c < CASES_PER_FILE; c++) {
                byte[] input = c % 10 == 9 ? randomBytes(rnd) : mutate(original, rnd, 1 + rnd.nextInt(4));
                try {
                    parser.apply(input);
                    accepted++;
                } catch (MalformedProcFile e) {
                    rejected++;
                } catch (RuntimeException e) {
                    fail(name + " case " + c + " (seed " + SEED + ") threw " + e + " on: "
                            + new String(input, 0, Math.min(input.length, 300), StandardCharsets.ISO_8859_1), e);
                }
            }
        }
        // Both outcomes must occur, or the mutations are too mild (or too wild) to test anything.
        assertTrue(accepted > 100 && rejected > 100, "accepted " + accepted + ", rejected " + rejected);
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (rnd.nextBoolean() ? " 0123456789abcdef-:()[]\nkBrwxps\t".charAt(rnd.nextInt(32))
                    : rnd.nextInt(256));
        }
        return b;
    }

    private static byte[] mutate(byte[] in, Random rnd, int edits) {
        byte[] b = in;
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) {
                return b;
            }
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0: { // flip a byte to something kernel-ish or random
                    b = b.clone();
                    b[pos] = (byte) (rnd.nextBoolean() ? "0f-: ()\n[]x".charAt(rnd.nextInt(11)) : rnd.nextInt(256));
                    break;
                }
                case 1: { // delete a run
                    int n = Math.min(b.length - pos, 1 + rnd.nextInt(20));
                    byte[] o = new byte[b.length - n];
                    System.arraycopy(b, 0, o, 0, pos);
                    System.arraycopy(b, pos + n, o, pos, b.length - pos - n);
                    b = o;
                    break;
                }
                case 2: { // truncate
                    b = java.util.Arrays.copyOf(b, pos);
                    break;
                }
                case 3: { // duplicate a run (repeated lines, keys)
                    int n = Math.min(b.length - pos, 1 + rnd.nextInt(80));
                    byte[] o = new byte[b.length + n];
                    System.arraycopy(b, 0, o, 0, pos + n);
                    System.arraycopy(b, pos, o, pos + n, b.length - pos);
                    b = o;
                    break;
                }
                default: { // splice a token
                    byte[] tok = TOKENS[rnd.nextInt(TOKENS.length)];
                    byte[] o = new byte[b.length + tok.length];
                    System.arraycopy(b, 0, o, 0, pos);
                    System.arraycopy(tok, 0, o, pos, tok.length);
                    System.arraycopy(b, pos, o, pos + tok.length, b.length - pos);
                    b = o;
                    break;
                }
            }
        }
        return b;
    }
}
