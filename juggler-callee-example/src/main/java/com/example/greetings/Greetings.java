package com.example.greetings;

import dev.juggler.callee.RpcFunction;
import jakarta.enterprise.context.ApplicationScoped;

/** The example's one function. Stateless, so thread-safe as the workers need. */
@ApplicationScoped
public class Greetings {

  /** {@code greet.hello}: a JSON string in, a JSON string out. */
  @RpcFunction("greet.hello")
  public String hello(String name) {
    return "hello, " + name;
  }
}
