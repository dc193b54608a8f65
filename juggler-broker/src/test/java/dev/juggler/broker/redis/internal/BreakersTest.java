package dev.juggler.broker.redis.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BreakersTest {

  private static final Exception TIMED_OUT = new IOException("read timed out");

  @Test
  void aServerThatFailedIsRefusedUntilAProbeIsAnswered() {
    Breakers breakers = new Breakers();
    assertFalse(breakers.isOpen("a"), "closed until a failure");
    assertFalse(breakers.probeDue("a"), "nothing to probe");

    breakers.failed("a", TIMED_OUT);
    assertTrue(breakers.isOpen("a"));
    assertFalse(breakers.isOpen("b"), "per server");
    assertTrue(breakers.probeDue("a"), "the first probe at once");
    assertFalse(breakers.probeDue("a"), "one probe at a time");
    breakers.failed("a", TIMED_OUT); // more failures while open change nothing
    assertTrue(breakers.isOpen("a"));

    breakers.probeEnded("a");
    assertTrue(breakers.isOpen("a"), "a probe that got no answer keeps it open");
    assertTrue(breakers.probeDue("a"), "and another may start");
    breakers.answered("a");
    breakers.probeEnded("a");
    assertFalse(breakers.isOpen("a"), "answered: commands are sent again");
    assertFalse(breakers.probeDue("a"));
  }

  @Test
  void anAnswerToACommandClosesItToo() {
    Breakers breakers = new Breakers();
    breakers.failed("a", TIMED_OUT);
    breakers.answered("a"); // a command sent before the failure was answered after it
    assertFalse(breakers.isOpen("a"));
    breakers.failed("a", TIMED_OUT);
    assertTrue(breakers.isOpen("a"), "and a new failure opens it again");
  }
}
