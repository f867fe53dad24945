package dev.inspector.tui;

import dev.inspector.core.model.ProcessList;
import dev.inspector.core.session.Host;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The picker over the running system's process list. */
@LiveTest
class PickerLiveTest {

    @Test
    void theRealProcessListHasThisProcessAndItCanBeMapped() {
        Host h = dev.inspector.core.testing.Live.host();
        PickerModel m = new PickerModel(h.selfPid());
        m.list(h.processes());
        ProcessList.Row self = m.rows().stream().filter(r -> r.pid() == h.selfPid()).findFirst().orElse(null);
        assertNotNull(self, "the inspector's own process is listed");
        assertNull(PickerModel.reason(self), "its own process is always readable");
    }
}
