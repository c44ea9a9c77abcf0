package dev.sepia.server.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sepia.crypto.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SshTargetsTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static LocalSshServer server;
  private static SshTargets targets;
  private static KeyPair rsaKey;

  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    server = new LocalSshServer(PASSWORD);
    targets = new SshTargets(TIMEOUT);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    rsaKey = rsa.generateKeyPair();
    server.authorize(rsaKey.getPublic());
  }

  @AfterAll
  static void stop() throws Exception {
    targets.close();
    server.close();
  }

  private static SshCredentials password() {
    return new SshCredentials.Password(LocalSshServer.USER, Secret.of(PASSWORD));
  }

  private static int run(SshCredentials credentials, String script, List<String> output)
      throws SshFailure {
    return targets.runScript(server.endpoint(), credentials, script, output::add, () -> false);
  }

  @Test
  void script_runsWithBash_stdoutAndStderrLinesArriveInOrder_exitCodeZero() throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    int exit =
        run(
            password(),
            "echo \"out 1 from $BASH_VERSION\" | cut -c1-8\n"
                + "echo 'err 1' >&2\n"
                + "echo 'out 2'\n"
                + "echo 'err 2' >&2\n"
                + "printf 'out 3 without newline'",
            output);

    assertThat(exit).isZero();
    assertThat(output.stream().filter(l -> l.startsWith("out")))
        .containsExactly("out 1 fr", "out 2", "out 3 without newline");
    assertThat(output.stream().filter(l -> l.startsWith("err"))).containsExactly("err 1", "err 2");
    assertThat(output).noneMatch(l -> l.startsWith("sepia-process-group"));
  }

  @Test
  void script_nonZeroExitCode_comesBack() throws Exception {
    List<String> output = new ArrayList<>();
    assertThat(run(password(), "echo failing\nexit 7\n", output)).isEqualTo(7);
    assertThat(output).containsExactly("failing");
  }

  @Test
  void script_thatReadsStdin_doesNotSwallowItsOwnLines() throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    int exit =
        run(
            password(),
            "if read -r line; then echo \"read: $line\"; else echo 'no input'; fi\r\n"
                + "echo 'still running'\r\n",
            output);
    assertThat(exit).isZero();
    assertThat(output).containsExactly("no input", "still running");
  }

  @Test
  void script_runsFromAPrivateTemporaryFile_removedAfterwards() throws Exception {
    List<String> output = new ArrayList<>();
    run(password(), "echo \"$0\"\nstat -c %a \"$0\"\n", output);
    assertThat(output).hasSize(2);
    assertThat(output.get(0)).contains("sepia-script.");
    assertThat(output.get(1)).isEqualTo("600");
    assertThat(Path.of(output.get(0))).doesNotExist();
  }

  @Test
  void cancelledBeforeTheStart_runsNothing() {
    Path marker = temp.resolve("ran");
    assertThatThrownBy(
            () ->
                targets.runScript(
                    server.endpoint(), password(), "touch " + marker, line -> {}, () -> true))
        .isInstanceOfSatisfying(
            SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.CANCELLED));
    assertThat(marker).doesNotExist();
  }

  @Test
  void keyAuthentication_ed25519KeyFileMadeBySshKeygen_withPassphrase() throws Exception {
    Path keygen = Path.of("/usr/bin/ssh-keygen");
    assumeThat(Files.isExecutable(keygen)).as("ssh-keygen is installed").isTrue();
    Path key = temp.resolve("id_ed25519");
    Process p =
        new ProcessBuilder(
                keygen.toString(),
                "-q",
                "-t",
                "ed25519",
                "-N",
                "file passphrase",
                "-f",
                key.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    String publicLine = Files.readString(key.resolveSibling("id_ed25519.pub")).strip();
    server.authorize(
        PublicKeyEntry.parsePublicKeyEntry(publicLine).resolvePublicKey(null, null, null));

    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER, Secret.of(Files.readString(key)), Secret.of("file passphrase"));
    assertThat(targets.check(server.endpoint(), credentials)).contains("deploy@127.0.0.1");
  }

  @Test
  void keyAuthentication_rsaOpenSshKey_withoutPassphrase() throws Exception {
    var credentials =
        new SshCredentials.KeyPair(LocalSshServer.USER, Secret.of(openSshText(rsaKey, null)), null);
    List<String> output = new ArrayList<>();
    assertThat(run(credentials, "echo key works", output)).isZero();
    assertThat(output).containsExactly("key works");
  }

  @Test
  void keyAuthentication_rsaOpenSshKey_withPassphrase() throws Exception {
    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER,
            Secret.of(openSshText(rsaKey, "key passphrase")),
            Secret.of("key passphrase"));
    assertThat(run(credentials, "exit 3", new ArrayList<>())).isEqualTo(3);
  }

  @Test
  void keyAuthentication_rsaPemPkcs8Key() throws Exception {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsaKey.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    var credentials = new SshCredentials.KeyPair(LocalSshServer.USER, Secret.of(pem), null);
    assertThat(run(credentials, "exit 0", new ArrayList<>())).isZero();
  }

  @Test
  void keyAuthentication_ed25519OpenSshKey_withPassphrase() throws Exception {
    KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519", "BC").generateKeyPair();
    server.authorize(ed25519.getPublic());
    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER,
            Secret.of(openSshText(ed25519, "ed passphrase")),
            Secret.of("ed passphrase"));
    List<String> output = new ArrayList<>();
    assertThat(run(credentials, "echo ed25519 works", output)).isZero();
    assertThat(output).containsExactly("ed25519 works");
  }

  @Test
  void wrongPassword_isAuthenticationFailed_namingTheUserButNotThePassword() {
    String wrong = "wrong-password-1234";
    var credentials = new SshCredentials.Password(LocalSshServer.USER, Secret.of(wrong));
    assertThatThrownBy(() -> run(credentials, "echo never", new ArrayList<>()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTHENTICATION_FAILED);
              assertThat(f.getMessage())
                  .contains("'" + LocalSshServer.USER + "'")
                  .contains("127.0.0.1:" + server.port())
                  .doesNotContain(wrong);
            });
  }

  @Test
  void unauthorizedKey_isAuthenticationFailed_namingTheKeysFingerprint() throws Exception {
    KeyPair stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER, Secret.of(openSshText(stranger, null)), null);
    assertThatThrownBy(() -> run(credentials, "echo never", new ArrayList<>()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.AUTHENTICATION_FAILED);
              assertThat(f.getMessage())
                  .contains(SshTargets.fingerprintOf(stranger.getPublic()))
                  .contains("authorized_keys");
            });
  }

  @Test
  void wrongHostFingerprint_isRefused_namingBothFingerprints_andTheScriptNeverRuns()
      throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("EC").generateKeyPair();
    String expected = SshTargets.fingerprintOf(other.getPublic());
    Path marker = temp.resolve("ran");
    assertThatThrownBy(
            () ->
                targets.runScript(
                    server.endpointExpecting(expected),
                    password(),
                    "touch " + marker,
                    line -> {},
                    () -> false))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.HOST_KEY_MISMATCH);
              assertThat(f.getMessage())
                  .contains("The SSH host key of 127.0.0.1:" + server.port() + " is ")
                  .contains(SshTargets.fingerprintOf(server.hostKey()))
                  .contains("the target expects " + expected)
                  .contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 | ssh-keygen -lf -");
            });
    assertThat(marker).doesNotExist();
  }

  @Test
  void hostFingerprint_isComparedCaseSensitively() {
    String upper = SshTargets.fingerprintOf(server.hostKey()).toUpperCase();
    assumeThat(upper).isNotEqualTo(SshTargets.fingerprintOf(server.hostKey()));
    assertThatThrownBy(() -> targets.check(server.endpointExpecting(upper), password()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.HOST_KEY_MISMATCH));
  }

  @Test
  void hostFingerprint_isAcceptedWithoutPrefix_withPadding_orInMd5Form() throws Exception {
    String sha256 = SshTargets.fingerprintOf(server.hostKey());
    String bare = sha256.substring("SHA256:".length());
    String md5 = KeyUtils.getFingerPrint(BuiltinDigests.md5, server.hostKey());
    for (String form : List.of(bare, " " + sha256 + "= ", md5, md5.toUpperCase())) {
      assertThat(targets.check(server.endpointExpecting(form), password()))
          .as("fingerprint written as %s", form)
          .contains(LocalSshServer.USER);
    }
  }

  @Test
  void unreadableHostFingerprint_isRefused_tellingTheKeyTheHostPresents() {
    assertThatThrownBy(
            () -> targets.check(server.endpointExpecting("not-a-fingerprint"), password()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.HOST_KEY_MISMATCH);
              assertThat(f.getMessage())
                  .contains("'not-a-fingerprint' is not in a form Sepia reads")
                  .contains(SshTargets.fingerprintOf(server.hostKey()));
            });
  }

  @Test
  void closedPort_isUnreachable_namingHostAndPort() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var endpoint =
        new SshEndpoint("127.0.0.1", closedPort, SshTargets.fingerprintOf(server.hostKey()));
    assertThatThrownBy(() -> targets.check(endpoint, password()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.UNREACHABLE);
              assertThat(f.getMessage()).contains("127.0.0.1:" + closedPort).contains("refused");
            });
  }

  @Test
  void wrongPassphrase_isInvalidCredentials_withoutThePassphrase() throws Exception {
    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER,
            Secret.of(openSshText(rsaKey, "right passphrase")),
            Secret.of("wrong passphrase"));
    assertThatThrownBy(() -> run(credentials, "echo never", new ArrayList<>()))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.INVALID_CREDENTIALS);
              assertThat(f.getMessage())
                  .contains("passphrase is wrong")
                  .doesNotContain("wrong passphrase")
                  .doesNotContain("right passphrase");
              assertThat(f.getCause()).isNull();
            });
  }

  @Test
  void encryptedKeyWithoutPassphrase_isInvalidCredentials_askingForIt() throws Exception {
    var credentials =
        new SshCredentials.KeyPair(
            LocalSshServer.USER, Secret.of(openSshText(rsaKey, "a passphrase")), null);
    assertThatThrownBy(() -> targets.check(server.endpoint(), credentials))
        .isInstanceOfSatisfying(
            SshFailure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(SshFailure.Kind.INVALID_CREDENTIALS);
              assertThat(f.getMessage()).contains("protected by a passphrase");
            });
  }

  @Test
  void textThatIsNoPrivateKey_isInvalidCredentials() throws Exception {
    ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(rsaKey.getPublic(), "pub", publicKey);
    for (String text :
        List.of(publicKey.toString(StandardCharsets.US_ASCII), "hello", brokenKey())) {
      var credentials = new SshCredentials.KeyPair(LocalSshServer.USER, Secret.of(text), null);
      assertThatThrownBy(() -> targets.check(server.endpoint(), credentials))
          .as("key text %s", text.lines().findFirst().orElse(""))
          .isInstanceOfSatisfying(
              SshFailure.class,
              f -> {
                assertThat(f.kind()).isEqualTo(SshFailure.Kind.INVALID_CREDENTIALS);
                assertThat(f.getMessage()).contains("private key of the SSH account 'deploy'");
              });
    }
  }

  private static String brokenKey() throws Exception {
    String text = openSshText(rsaKey, null);
    List<String> lines = new ArrayList<>(text.lines().toList());
    lines.subList(3, lines.size() - 3).clear();
    return String.join("\n", lines) + "\n";
  }

  @Test
  void cancel_duringSleep_returnsAndTheRemoteProcessIsGone() throws Exception {
    Path pidFile = temp.resolve("sleep.pid");
    AtomicBoolean cancelled = new AtomicBoolean();
    List<String> output = new CopyOnWriteArrayList<>();
    String script =
        "sleep 60 &\n"
            + "echo $! > "
            + pidFile
            + "\n"
            + "echo started\n"
            + "wait\n"
            + "echo done\n";

    assertThatThrownBy(
            () ->
                targets.runScript(
                    server.endpoint(),
                    password(),
                    script,
                    line -> {
                      output.add(line);
                      if (line.equals("started")) {
                        cancelled.set(true);
                      }
                    },
                    cancelled::get))
        .isInstanceOfSatisfying(
            SshFailure.class, f -> assertThat(f.kind()).isEqualTo(SshFailure.Kind.CANCELLED));

    assertThat(output).contains("started").doesNotContain("done");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(waitUntilGone(pid)).as("sleep process %d is gone", pid).isTrue();
  }

  /** Signals are asynchronous: give the killed process a moment to disappear. */
  private static boolean waitUntilGone(long pid) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (isGone(pid)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static boolean isGone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the state follows the command name in parentheses; Z is a zombie: dead, not yet reaped
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void secretsInTheScriptOrPassword_areNotLogged() throws Exception {
    String secret = "s3cr3t-value-" + System.nanoTime();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("dev.sepia.server.engine.ssh");
    Level oursBefore = ours.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    ours.setLevel(Level.TRACE);
    try {
      List<String> output = new ArrayList<>();
      run(password(), "DB_PASSWORD='" + secret + "'\necho \"length ${#DB_PASSWORD}\"", output);
      assertThat(output).containsExactly("length " + secret.length());
      assertThatThrownBy(
          () ->
              run(
                  new SshCredentials.Password(LocalSshServer.USER, Secret.of(secret)),
                  "echo never",
                  new ArrayList<>()));
    } finally {
      root.detachAppender(appender);
      ours.setLevel(oursBefore);
    }
    for (ILoggingEvent event : appender.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(secret);
      if (event.getThrowableProxy() != null) {
        assertThat(event.getThrowableProxy().getMessage()).doesNotContain(secret);
      }
    }
  }

  @Test
  void check_returnsTheTargetsUname() throws Exception {
    Process uname = new ProcessBuilder("uname", "-sr").start();
    String expected =
        new String(uname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(uname.waitFor()).isZero();

    assertThat(targets.check(server.endpoint(), password()))
        .isEqualTo(expected + " (deploy@127.0.0.1:" + server.port() + ")");
  }

  @Test
  void manyRunsAtOnce_shareOneClient() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        runs.add(
            pool.submit(
                () -> {
                  List<String> output = Collections.synchronizedList(new ArrayList<>());
                  int exit = run(password(), "echo run " + n + "\nexit " + n, output);
                  output.add("exit " + exit);
                  return output;
                }));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).get()).containsExactly("run " + i, "exit " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fingerprintOf_isWhatSshKeygenPrints_sha256OfTheWireEncoding() throws Exception {
    var ec = (java.security.interfaces.ECPublicKey) server.hostKey();
    byte[] point = new byte[65];
    point[0] = 4;
    copyUnsigned(ec.getW().getAffineX().toByteArray(), point, 1);
    copyUnsigned(ec.getW().getAffineY().toByteArray(), point, 33);
    byte[] ecWire =
        concat(
            sshString("ecdsa-sha2-nistp256".getBytes(StandardCharsets.US_ASCII)),
            sshString("nistp256".getBytes(StandardCharsets.US_ASCII)),
            sshString(point));
    assertThat(SshTargets.fingerprintOf(ec)).isEqualTo(sha256Fingerprint(ecWire));

    var rsa = (java.security.interfaces.RSAPublicKey) rsaKey.getPublic();
    byte[] rsaWire =
        concat(
            sshString("ssh-rsa".getBytes(StandardCharsets.US_ASCII)),
            sshString(rsa.getPublicExponent().toByteArray()),
            sshString(rsa.getModulus().toByteArray()));
    assertThat(SshTargets.fingerprintOf(rsa)).isEqualTo(sha256Fingerprint(rsaWire));

    Path keygen = Path.of("/usr/bin/ssh-keygen");
    if (Files.isExecutable(keygen)) {
      Path pub = temp.resolve("key.pub");
      try (var out = Files.newOutputStream(pub)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(rsa, "test", out);
      }
      Process p = new ProcessBuilder(keygen.toString(), "-lf", pub.toString()).start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(printed.split(" ")[1]).isEqualTo(SshTargets.fingerprintOf(rsa));
    }
  }

  private static String sha256Fingerprint(byte[] wire) throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(wire);
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
  }

  private static void copyUnsigned(byte[] value, byte[] into, int offset) {
    int skip = value.length > 32 ? value.length - 32 : 0;
    int pad = 32 - (value.length - skip);
    System.arraycopy(value, skip, into, offset + pad, value.length - skip);
  }

  private static byte[] sshString(byte[] bytes) {
    return concat(
        new byte[] {
          (byte) (bytes.length >>> 24),
          (byte) (bytes.length >>> 16),
          (byte) (bytes.length >>> 8),
          (byte) bytes.length
        },
        bytes);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static String openSshText(KeyPair key, String passphrase) throws Exception {
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setPassword(passphrase);
      encryption.setCipherName("AES");
      encryption.setCipherType("256");
      encryption.setCipherMode("CTR");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test key", encryption, out);
    return out.toString(StandardCharsets.US_ASCII);
  }
}
