package dev.juggler.callee.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionSignaturesTest {

  public interface Local {
    String echo(String s);
  }

  public static class Bean implements Local {
    @Override
    public String echo(String s) {
      return s;
    }

    public void two(String a, String b) {}

    public static void shared() {}

    void hidden() {}
  }

  private static Method method(String name, Class<?>... params) throws NoSuchMethodException {
    return Bean.class.getDeclaredMethod(name, params);
  }

  @Test
  void acceptsPublicInstanceMethodsWithAtMostOneParameter() throws Exception {
    assertEquals(Optional.empty(), FunctionSignatures.problem(method("echo", String.class)));
  }

  @Test
  void refusesOtherMethods() throws Exception {
    assertTrue(
        FunctionSignatures.problem(method("two", String.class, String.class))
            .orElseThrow()
            .contains("at most one parameter"));
    assertEquals(Optional.of("must not be static"), FunctionSignatures.problem(method("shared")));
    assertEquals(Optional.of("must be public"), FunctionSignatures.problem(method("hidden")));
  }

  @Test
  void callsTheBeanClassMethodWhenTheClassIsABeanType() throws Exception {
    Method echo = method("echo", String.class);
    FunctionSignatures.BusinessMethod business =
        FunctionSignatures.businessMethod(echo, Set.<Type>of(Bean.class, Object.class))
            .orElseThrow();
    assertEquals(Bean.class, business.referenceType());
    assertEquals(echo, business.method());
  }

  @Test
  void callsTheInterfaceMethodOfAnEjbWithALocalView() throws Exception {
    FunctionSignatures.BusinessMethod business =
        FunctionSignatures.businessMethod(
                method("echo", String.class), List.<Type>of(Object.class, Local.class))
            .orElseThrow();
    assertEquals(Local.class, business.referenceType());
    assertEquals(Local.class.getMethod("echo", String.class), business.method());
  }

  @Test
  void findsNothingWhenNoBeanTypeHasTheMethod() throws Exception {
    assertTrue(
        FunctionSignatures.businessMethod(
                method("two", String.class, String.class), List.<Type>of(Object.class, Local.class))
            .isEmpty());
  }

  @Test
  void describesMethods() throws Exception {
    assertEquals(
        Bean.class.getName() + "#echo(java.lang.String)",
        FunctionSignatures.describe(method("echo", String.class)));
  }
}
