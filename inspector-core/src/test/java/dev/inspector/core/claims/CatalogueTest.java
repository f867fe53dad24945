package dev.inspector.core.claims;

import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.Demos;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every claim id the tool can print resolves to a section of docs/model/claims.md, with the same title and sources. */
class CatalogueTest {

    static Path page() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(Catalogue.PAGE))) {
                return p.resolve(Catalogue.PAGE);
            }
        }
        throw new IllegalStateException("no " + Catalogue.PAGE + " above " + Paths.get("").toAbsolutePath());
    }

    @Test
    void theCatalogueIsThePageSectionBySection() throws IOException {
        String text = Files.readString(page());
        Matcher m = Pattern.compile("\n### (C\\d\\d) — ([^\n]+)\n- \\*\\*(?:Claim|Source):\\*\\*").matcher(text);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
            Catalogue.Entry e = Catalogue.get(m.group(1));
            assertEquals(m.group(2), e.title(), m.group(1));
            int at = m.start();
            int next = text.indexOf("\n### ", at + 1);
            String section = text.substring(at, next < 0 ? text.length() : next);
            Matcher src = Pattern.compile("\\*\\*Source:\\*\\* ([^\n]+)").matcher(section);
            assertTrue(src.find(), m.group(1) + " has a Source line");
            for (String d : e.documents()) {
                assertTrue(src.group(1).contains("`" + d + "`"), m.group(1) + " cites " + d);
            }
        }
        List<String> all = new ArrayList<>();
        for (Catalogue.Entry e : Catalogue.all()) {
            all.add(e.id());
        }
        assertEquals(all, ids, "the catalogue's ids, in the page's order");
        assertEquals(51, ids.size());
    }

    @Test
    void everyDemoCitesCatalogueClaimsOnly() {
        for (Demo d : Demos.all()) {
            assertFalse(d.claimIds().isEmpty(), d.name() + " checks no claim");
            for (String id : d.claimIds()) {
                assertEquals(id, Catalogue.get(id).id());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Catalogue.get("C52"));
    }

    @Test
    void aCitedClaimCarriesItsMainDocument() {
        Claim c = Catalogue.claim("C31", "every virtual page has a frame");
        assertEquals("C31", c.id());
        assertEquals(Catalogue.get("C31").documents().get(0), c.document());
    }
}
