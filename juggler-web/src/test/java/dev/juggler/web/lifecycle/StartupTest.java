package dev.juggler.web.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

class StartupTest {

  @Test
  void warnsWhenTheHttpsPortHasNoKeystore() {
    String placeholder = "/srv/wlp/usr/servers/juggler/resources/security/no-key.p12";
    assertEquals(1, warnings(Map.of("JUGGLER_HTTPS_PORT", "9443")));
    assertEquals(
        1, warnings(Map.of("JUGGLER_HTTPS_PORT", "9443", "JUGGLER_TLS_KEYSTORE", placeholder)));
    assertEquals(
        0,
        warnings(
            Map.of("JUGGLER_HTTPS_PORT", "9443", "JUGGLER_TLS_KEYSTORE", "/etc/juggler/x.p12")));
    assertEquals(
        0, warnings(Map.of("JUGGLER_HTTPS_PORT", "-1", "JUGGLER_TLS_KEYSTORE", placeholder)));
    assertEquals(0, warnings(Map.of()));
  }

  private static int warnings(Map<String, String> values) {
    Logger log = Logger.getLogger(Startup.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel() == Level.WARNING) {
              records.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      Startup.warnOfHttpsWithoutKeystore(new MapConfig(values));
    } finally {
      log.removeHandler(handler);
    }
    return records.size();
  }

  /**
   * The few lookups the check makes, from a map; integers converted as MicroProfile Config does.
   */
  private record MapConfig(Map<String, String> values) implements Config {
    @Override
    public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
      return Optional.ofNullable(values.get(name))
          .map(v -> type == Integer.class ? type.cast(Integer.valueOf(v)) : type.cast(v));
    }

    @Override
    public <T> T getValue(String name, Class<T> type) {
      return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
    }

    @Override
    public ConfigValue getConfigValue(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Iterable<String> getPropertyNames() {
      return values.keySet();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
      return List.of();
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> type) {
      return Optional.empty();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new IllegalArgumentException(type.getName());
    }
  }
}
