package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page and {@code juggler.js} in Debian's headless Chromium, against the server and Redis:
 * two browsers chat, one runs a call, one loses its WebSocket and reconnects, and the chat goes on.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class BrowserIT {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

  /**
   * How long a page may take to show what it waits for, and the demo call's timeout: a loaded
   * machine can take more than the page's default of one second to run a call, and a correct server
   * must not fail this test for it.
   */
  private static final Duration WAIT = Waits.SOON;

  private final List<WebDriver> browsers = new ArrayList<>();

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  private WebDriver browser() throws IOException {
    // no skipping: without the browser this test fails, and says what to install
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    Path profile = Files.createTempDirectory("juggler-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    WebDriver driver = new ChromeDriver(service, options);
    browsers.add(driver);
    return driver;
  }

  @AfterEach
  void quit() {
    browsers.forEach(WebDriver::quit);
  }

  private static String page() {
    URI ws = WsClient.endpoint();
    return "http://" + ws.getHost() + ":" + ws.getPort() + "/";
  }

  private static void waitForText(WebDriver d, String id, String text) {
    new WebDriverWait(d, WAIT)
        .withMessage(
            () ->
                "#"
                    + id
                    + " never showed '"
                    + text
                    + "'; it shows: "
                    + d.findElement(By.id(id)).getText())
        .until(x -> x.findElement(By.id(id)).getText().contains(text));
  }

  private static void say(WebDriver d, String text) {
    d.findElement(By.id("message")).sendKeys(text);
    d.findElement(By.id("send")).click();
  }

  @Test
  void twoBrowsersChatCallAndSurviveALostConnection() throws Exception {
    WebDriver a = browser();
    WebDriver b = browser();
    for (WebDriver d : List.of(a, b)) {
      d.get(page());
      waitForText(d, "status", "connected");
      waitForText(d, "messages", "joined lobby");
    }
    a.findElement(By.id("name")).clear();
    a.findElement(By.id("name")).sendKeys("alice");

    say(a, "hello from alice");
    waitForText(b, "messages", "alice: hello from alice");
    waitForText(b, "all-rooms", "lobby · alice: hello from alice");

    new Select(a.findElement(By.id("uri"))).selectByVisibleText("test.reverse");
    a.findElement(By.id("args")).clear();
    a.findElement(By.id("args")).sendKeys("\"abc\"");
    a.findElement(By.id("timeout")).clear();
    a.findElement(By.id("timeout")).sendKeys(Long.toString(WAIT.toMillis()));
    a.findElement(By.id("call")).click();
    waitForText(a, "rpc-log", "ACK after");
    waitForText(a, "rpc-log", "\"cba\"");

    // b's WebSocket breaks (a frame the server must refuse closes it); the page reconnects
    ((JavascriptExecutor) b).executeScript("window.juggler._socket.send('not json')");
    waitForText(b, "status", "connected again");

    say(a, "still there?");
    waitForText(b, "messages", "alice: still there?");

    screenshot(a, "demo.png"); // the page that chatted and called
    screenshot(b, "demo-reconnected.png"); // the page that lost its connection and came back
  }

  private static void screenshot(WebDriver d, String name) throws IOException {
    Path shot = Paths.get("target", "browser", name);
    Files.createDirectories(shot.getParent());
    Files.copy(
        ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(shot) > 0, "screenshot saved at " + shot.toAbsolutePath());
  }
}
