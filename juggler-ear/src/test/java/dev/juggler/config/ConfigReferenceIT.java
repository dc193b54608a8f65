package dev.juggler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.callee.config.CalleeConfig;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.security.SecurityConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the code (no server needed; an IT because this module
 * runs its tests in failsafe): every MicroProfile Config property that the server and the callees
 * read is documented with its default, every documented property exists, and so does every variable
 * of the Liberty server.
 */
class ConfigReferenceIT {
  private static final Path README = Paths.get("..", "README.md");
  private static final Path SERVER_XML = Paths.get("..", "server-config", "juggler", "server.xml");

  /** {@code | `name` | default | meaning |} */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Za-z][\\w.-]*)`[^|]*\\| ([^|]*) \\|");

  private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");

  /** The properties read through {@code @ConfigProperty}, with their defaults (or null). */
  private static Map<String, String> codeProperties() {
    Map<String, String> props = new TreeMap<>();
    for (Class<?> c : List.of(ServerConfig.class, CalleeConfig.class, SecurityConfig.class)) {
      for (Field f : c.getDeclaredFields()) {
        ConfigProperty p = f.getAnnotation(ConfigProperty.class);
        if (p != null) {
          String d = p.defaultValue();
          props.put(p.name(), ConfigProperty.UNCONFIGURED_VALUE.equals(d) ? null : d);
        }
      }
    }
    return props;
  }

  /** The README table's rows: name to the default cell as written. */
  private static Map<String, String> documented() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.put(m.group(1), m.group(2).trim());
      }
    }
    return rows;
  }

  @Test
  void everyPropertyIsDocumentedWithItsDefault() throws IOException {
    Map<String, String> code = codeProperties();
    assertTrue(code.size() >= 20, "found the properties: " + code.keySet());
    Map<String, String> doc = documented();
    List<String> problems = new ArrayList<>();
    code.forEach(
        (name, def) -> {
          String cell = doc.get(name);
          if (cell == null) {
            problems.add(name + " is not in the README's configuration table");
          } else if (def != null) {
            Matcher literal = LITERAL.matcher(cell);
            if (!literal.matches() || !literal.group(1).equals(def)) {
              problems.add(name + ": the README says " + cell + ", the code `" + def + "`");
            }
          }
        });
    assertEquals(List.of(), problems);
  }

  @Test
  void everyDocumentedPropertyExists() throws IOException {
    Map<String, String> code = codeProperties();
    List<String> unknown = new ArrayList<>();
    for (String name : documented().keySet()) {
      if (name.startsWith("juggler.") && !code.containsKey(name)) {
        unknown.add(name);
      }
    }
    assertEquals(List.of(), unknown, "documented, but read nowhere");
  }

  @Test
  void everyServerVariableIsDocumentedWithItsDefault() throws IOException {
    String xml = Files.readString(SERVER_XML, StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("<variable name=\"(JUGGLER_\\w+)\" defaultValue=\"([^\"]*)\"").matcher(xml);
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int found = 0;
    while (m.find()) {
      found++;
      String name = m.group(1);
      String row =
          readme
              .lines()
              .filter(l -> l.startsWith("| ") && l.contains("`" + name + "`"))
              .findFirst()
              .orElse("");
      assertFalse(row.isEmpty(), name + " is not in the README's configuration table");
      // an empty default is written "(none…)", as for properties without one
      String documented = m.group(2).isEmpty() ? "| (none" : "`" + m.group(2) + "`";
      assertTrue(row.contains(documented), name + " default " + m.group(2) + ": " + row);
    }
    assertTrue(found >= 3, "found the server's variables");
  }
}
