package dev.juggler.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

  @Test
  void inOrderNothingLost() {
    SequenceTracker t = new SequenceTracker();
    for (long n = 0; n < 5; n++) {
      t.record(0, n);
      t.record(1, n);
    }
    assertEquals(10, t.delivered());
    assertEquals(0, t.lost(Map.of(0, 5L, 1, 5L)));
    assertEquals(0, t.reordered());
  }

  @Test
  void gapIsLostUnlessItArrivesLate() {
    SequenceTracker t = new SequenceTracker();
    t.record(0, 0);
    t.record(0, 3); // 1 and 2 missing
    t.record(0, 1); // late: reordered, no longer lost
    t.record(0, 4);
    assertEquals(1, t.lost(Map.of(0, 5L)));
    assertEquals(1, t.reordered());
    assertEquals(0, t.duplicated());
  }

  @Test
  void tailNeverSeenIsLost() {
    SequenceTracker t = new SequenceTracker();
    t.record(0, 0);
    t.record(0, 1);
    assertEquals(3, t.lost(Map.of(0, 5L)));
    assertEquals(4, t.lost(Map.of(0, 5L, 1, 1L)));
  }

  @Test
  void repeatIsDuplicatedNotReordered() {
    SequenceTracker t = new SequenceTracker();
    t.record(2, 0);
    t.record(2, 1);
    t.record(2, 1);
    assertEquals(1, t.duplicated());
    assertEquals(0, t.reordered());
  }

  @Test
  void parsesTheLoadEvent() {
    assertEquals(new Sample(3, 42, 123456789L), Sample.parse("{\"p\":3,\"n\":42,\"t\":123456789}"));
    assertEquals(new Sample(0, 1, -5), Sample.parse("{ \"t\" : -5, \"n\":1, \"p\":0 }"));
  }
}
