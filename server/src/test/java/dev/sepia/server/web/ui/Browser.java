package dev.sepia.server.web.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its ChromeDriver (packages chromium and chromium-driver),
 * for testing the UI as a user sees it. Screenshots go to target/ui-screenshots for reviewers.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final String baseUrl;

  private Browser(ChromeDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  static Browser open(String baseUrl, Path profile) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "The browser tests need Debian's Chromium and its driver: apt-get install chromium"
              + " chromium-driver (.ci/run installs them).");
    }
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
        "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return new Browser(driver, baseUrl);
  }

  WebDriver driver() {
    return driver;
  }

  void go(String path) {
    driver.get(baseUrl + path);
  }

  WebElement find(By by) {
    return await(d -> d.findElement(by));
  }

  /**
   * Waits until the condition gives a value. A page that is being replaced while the condition
   * reads it (a reload after a form, a redirect) counts as "not yet", not as a failure: Selenium
   * reports that as a stale element, and Chromium sometimes as an inspector error about a node that
   * no longer belongs to the document.
   */
  <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              try {
                return condition.apply(d);
              } catch (WebDriverException e) {
                if (isPageBeingReplaced(e)) {
                  return null;
                }
                throw e;
              }
            });
  }

  private static boolean isPageBeingReplaced(WebDriverException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("does not belong to the document")
        || message.contains("Cannot find context with specified id");
  }

  /** Waits until the page's path (without query) is this one. */
  void awaitPath(String path) {
    await(
        d -> {
          String url = d.getCurrentUrl();
          String rest = url.substring(baseUrl.length());
          int q = rest.indexOf('?');
          return (q < 0 ? rest : rest.substring(0, q)).equals(path) ? Boolean.TRUE : null;
        });
  }

  void type(String fieldLabel, String text) {
    WebElement field = byLabel(fieldLabel);
    field.clear();
    field.sendKeys(text);
  }

  /** The form control that a visible label names, as a screen reader finds it. */
  WebElement byLabel(String label) {
    WebElement element = find(By.xpath("//label[normalize-space(.)='" + label + "']"));
    return driver.findElement(By.id(element.getAttribute("for")));
  }

  void click(String buttonText) {
    find(By.xpath("//button[normalize-space(.)='" + buttonText + "']")).click();
  }

  void signIn(String username, String password) {
    go("/login");
    type("Username", username);
    type("Password", password);
    click("Sign in");
  }

  String pageSource() {
    return driver.getPageSource();
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
