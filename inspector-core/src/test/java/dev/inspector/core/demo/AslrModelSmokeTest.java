package dev.inspector.core.demo;

import dev.inspector.core.aslr.*;
import dev.inspector.core.checklist.*;
import dev.inspector.core.claims.Check;
import dev.inspector.core.testing.Live;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

class AslrModelSmokeTest {
    @Test
    void model() {
        ModelReport r = new ModelChecklist(Live.host(), Optional.of(SampleDirectory.locate())).check(null);
        for (ModelLine l : r.lines()) {
            System.out.println(l.topic() + " | " + l.verdict() + " | " + l.check().claim().id() + " | " + l.check().finding().observed() + " || " + l.check().finding().detail());
        }
    }
    @Test
    void aslr() {
        for (boolean nr : new boolean[]{false, true}) {
            AslrRunner run = new AslrRunner(Live.host(), Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            List<AslrSample> s = run.run(new AslrRunner.Subject(SampleDirectory.locate(), List.of()), 20, nr, i -> {});
            System.out.println("20 runs in " + (System.nanoTime()-t0)/1e6 + " ms");
            AslrReport rep = AslrReport.analyse(List.of("aslr"), true, nr, s, new AslrReport.Settings(2L, 28L, 8L, "x"), run.forkKeepsLayout(SampleDirectory.locate()));
            for (AslrStats.KindStats k : rep.kinds()) System.out.println(k);
            System.out.println(rep.together());
            rep.references().forEach(System.out::println);
            rep.pitfalls().forEach(System.out::println);
            for (Check c : rep.checks()) System.out.println(c.verdict() + " " + c.claim().statement() + " :: " + c.finding().observed() + " :: " + c.finding().detail());
            List<AslrSample> c = run.run(new AslrRunner.Subject(null, List.of("sleep", "1")), 5, nr, i -> {});
            AslrReport rc = AslrReport.analyse(List.of("sleep","1"), false, nr, c, new AslrReport.Settings(2L, 28L, 8L, "x"), null);
            for (AslrStats.KindStats k : rc.kinds()) System.out.println(k);
            for (Check cc : rc.checks()) System.out.println(cc.verdict() + " " + cc.finding().observed());
        }
    }
}
