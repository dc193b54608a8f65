package com.example.greetings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A function is a plain method: its logic is tested without a server. */
class GreetingsTest {

  @Test
  void greetsByName() {
    assertEquals("hello, world", new Greetings().hello("world"));
  }
}
