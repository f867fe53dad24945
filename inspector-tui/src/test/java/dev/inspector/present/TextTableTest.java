package dev.inspector.present;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextTableTest {
    @Test
    void alignsColumnsAndLeavesLastColumnUnpadded() {
        TextTable t = new TextTable(new String[] {"START", "SIZE", "NAME"},
                new TextTable.Align[] {TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.LEFT});
        t.row("7f00", "4K", "a b ");
        t.row("ffffffffff600000", "132K", "[vsyscall]");
        StringWriter sw = new StringWriter();
        t.print(new PrintWriter(sw), Style.plain());
        assertEquals(String.join(System.lineSeparator(),
                "START             SIZE  NAME",
                "7f00                4K  a b ",
                "ffffffffff600000  132K  [vsyscall]", ""), sw.toString());
    }
}
