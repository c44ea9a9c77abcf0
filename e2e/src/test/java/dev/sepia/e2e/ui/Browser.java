package dev.sepia.e2e.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven by its ChromeDriver, against a server that runs as its own
 * process: the web UI as a user sees it. Screenshots go to {@code target/ui-screenshots} for
 * reviewers. Waits are long, since the server and Tentacles share a small machine with other tests;
 * only a failure waits that long.
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ChromeDriver driver;
  private final String baseUrl;
  private final Thread quitAtExit;

  private Browser(ChromeDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    // If the test JVM is stopped before close(), Chromium and its driver must not outlive it.
    this.quitAtExit = new Thread(this::quietlyQuit, "e2e-browser-quit");
    Runtime.getRuntime().addShutdownHook(quitAtExit);
  }

  /** Starts Chromium with a fresh profile in {@code profile}; pages are under {@code baseUrl}. */
  public static Browser open(String baseUrl, Path profile) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "The browser tests need Debian's Chromium and its driver: apt-get install chromium"
              + " chromium-driver.");
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
        "--window-size=1280,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(90));
    return new Browser(driver, baseUrl);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Opens a page of the server, e.g. {@code /projects}. */
  public void go(String path) {
    driver.get(baseUrl + path);
  }

  public WebElement find(By by) {
    return await(d -> d.findElement(by));
  }

  public WebElement byId(String id) {
    return find(By.id(id));
  }

  /** Waits until {@code condition} gives something other than null or false. */
  public <T> T await(Function<WebDriver, T> condition) {
    return await(WAIT, condition);
  }

  public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout)
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** The current page's path, without its query. */
  public String path() {
    String path = URI.create(driver.getCurrentUrl()).getPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** Waits until the page's path (without query) is this one. */
  public void awaitPath(String path) {
    await(d -> path().equals(path) ? Boolean.TRUE : null);
  }

  /** Waits until the page's path starts with {@code prefix}, and returns the path. */
  public String awaitPathStartingWith(String prefix) {
    return await(d -> path().startsWith(prefix) ? path() : null);
  }

  /** Waits until the element with this id shows some text, and returns it. */
  public String awaitText(String id) {
    return await(
        d -> {
          String text = d.findElement(By.id(id)).getText();
          return text.isBlank() ? null : text;
        });
  }

  public void type(String fieldLabel, String text) {
    WebElement field = byLabel(fieldLabel);
    field.clear();
    field.sendKeys(text);
  }

  /** The form control that a visible label names, as a screen reader finds it. */
  public WebElement byLabel(String label) {
    WebElement element = find(By.xpath("//label[normalize-space(.)='" + label + "']"));
    return driver.findElement(By.id(element.getAttribute("for")));
  }

  public void click(String buttonText) {
    WebElement button = find(By.xpath("//button[normalize-space(.)='" + buttonText + "']"));
    scrollTo(button);
    button.click();
  }

  public void scrollTo(WebElement element) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", element);
  }

  public void signIn(String username, String password) {
    go("/login");
    type("Username", username);
    type("Password", password);
    click("Sign in");
  }

  /** The page as the browser holds it now, including what its scripts added. */
  public String pageSource() {
    return driver.getPageSource();
  }

  /** Saves what the window shows to {@code target/ui-screenshots/NAME.png}. */
  public void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(quitAtExit);
    } catch (IllegalStateException e) {
      // The JVM is already exiting; the hook quits the browser.
      return;
    }
    driver.quit();
  }

  private void quietlyQuit() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // The JVM is exiting; nothing more to do.
    }
  }
}
