package dev.sepia.server.engine.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Runs deployment scripts on SSH targets. Owns one started MINA {@link SshClient}, shared by all
 * runs (it is thread-safe); each run opens its own session, so a broken run harms no other.
 *
 * <p>Every host key is checked against the target's pinned fingerprint; there is no "accept unknown
 * keys" mode. The client reads nothing from {@code ~/.ssh} (no config, no default keys, no agent):
 * only the account it is given.
 */
public final class SshTargets implements AutoCloseable {
  private static final Duration CANCEL_POLL = Duration.ofMillis(200);
  private static final Duration TERMINATE_GRACE = Duration.ofSeconds(3);
  private static final long NO_PROCESS_GROUP = -1;

  private final Duration connectTimeout;
  private final SshClient client;

  public SshTargets(Duration connectTimeout) {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("The SSH connect timeout must be positive.");
    }
    this.connectTimeout = connectTimeout;
    SshClient sshClient = SshClient.setUpDefaultClient();
    sshClient.setServerKeyVerifier(HostKeyCheck.VERIFIER);
    sshClient.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    sshClient.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // A script may print nothing for a long time; keep the session alive instead of timing it
    // out, and notice a dead peer through unanswered keep-alives.
    CoreModuleProperties.IDLE_TIMEOUT.set(sshClient, Duration.ZERO);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(sshClient, Duration.ofSeconds(30));
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(sshClient, 4);
    CoreModuleProperties.AUTH_TIMEOUT.set(sshClient, connectTimeout);
    sshClient.start();
    this.client = sshClient;
  }

  /**
   * Runs {@code script} with bash on the target and passes each line it prints, stdout and stderr
   * (each in order), to {@code output}. See {@link RemoteScript} for how it is sent.
   *
   * @param cancelled polled while the script runs; once true, the script's process group is sent
   *     SIGTERM (SIGKILL if it outlives a short grace), the channel is closed, and this throws
   * @return the script's exit code
   * @throws SshFailure of kind {@link SshFailure.Kind#CANCELLED} when cancelled, or another kind
   *     when the target cannot be reached, refuses the account, or the session breaks
   */
  public int runScript(
      SshEndpoint endpoint,
      SshCredentials credentials,
      String script,
      Consumer<String> output,
      BooleanSupplier cancelled)
      throws SshFailure {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cancelled, "cancelled");
    if (cancelled.getAsBoolean()) {
      throw new SshFailure(
          SshFailure.Kind.CANCELLED,
          "The script for " + endpoint.address() + " was cancelled before it started.");
    }
    RemoteScript remote = RemoteScript.of(script);
    AtomicLong processGroup = new AtomicLong(NO_PROCESS_GROUP);
    Object outputLock = new Object(); // stdout and stderr arrive on different threads
    Consumer<String> serialized =
        line -> {
          synchronized (outputLock) {
            output.accept(line);
          }
        };
    LineOutput stdout =
        new LineOutput(
            new Consumer<>() {
              private boolean first = true;

              @Override
              public void accept(String line) {
                if (first) {
                  first = false;
                  OptionalLong group = remote.processGroup(line);
                  if (group.isPresent()) {
                    processGroup.set(group.getAsLong());
                    return;
                  }
                }
                serialized.accept(line);
              }
            });
    LineOutput stderr = new LineOutput(serialized);

    try (ClientSession session = openSession(endpoint, credentials)) {
      try (ChannelExec channel = session.createExecChannel("bash -s")) {
        channel.setOut(stdout);
        channel.setErr(stderr);
        channel.open().verify(connectTimeout);
        try (OutputStream stdin = channel.getInvertedIn()) {
          stdin.write(remote.wrapper().getBytes(StandardCharsets.UTF_8));
        } // closing sends EOF: bash -s then runs to the end of the wrapper
        while (!channel
            .waitFor(EnumSet.of(ClientChannelEvent.CLOSED), CANCEL_POLL)
            .contains(ClientChannelEvent.CLOSED)) {
          if (cancelled.getAsBoolean()) {
            stop(session, channel, processGroup.get());
            throw new SshFailure(
                SshFailure.Kind.CANCELLED,
                "The script on " + endpoint.address() + " was cancelled.");
          }
        }
        stdout.finish();
        stderr.finish();
        Integer status = channel.getExitStatus();
        if (status == null) {
          String signal = channel.getExitSignal();
          throw new SshFailure(
              SshFailure.Kind.FAILED,
              "The script on "
                  + endpoint.address()
                  + (signal == null
                      ? " ended without an exit code: the SSH channel was closed before the"
                          + " script finished."
                      : " was ended by signal " + signal + ".")
                  + " Check the target's logs for what stopped it.");
        }
        return status;
      }
    } catch (IOException | RuntimeException e) {
      throw broken(endpoint, e);
    }
  }

  /**
   * Connects, verifies the host key, authenticates and runs {@code uname -sr}.
   *
   * @return a short description, e.g. {@code "Linux 6.8.0-45-generic (deploy@web01:22)"}
   */
  public String check(SshEndpoint endpoint, SshCredentials credentials) throws SshFailure {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    try (ClientSession session = openSession(endpoint, credentials);
        ChannelExec channel = session.createExecChannel("uname -sr")) {
      LineOutput out = new LineOutput(lines::add);
      channel.setOut(out);
      channel.setErr(out);
      channel.open().verify(connectTimeout);
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), connectTimeout);
      if (!events.contains(ClientChannelEvent.CLOSED)) {
        throw new SshFailure(
            SshFailure.Kind.FAILED,
            "Logged in to "
                + endpoint.address()
                + ", but 'uname -sr' did not finish within "
                + connectTimeout.toSeconds()
                + " s. The target may be overloaded.");
      }
      out.finish();
      String text = String.join(" ", lines).strip();
      Integer status = channel.getExitStatus();
      if (status == null || status != 0) {
        throw new SshFailure(
            SshFailure.Kind.FAILED,
            "Logged in to "
                + endpoint.address()
                + " as '"
                + credentials.username()
                + "', but 'uname -sr' failed (exit code "
                + status
                + "): "
                + text
                + ". Sepia runs scripts with bash; the target must be a Unix-like system.");
      }
      return text + " (" + credentials.username() + "@" + endpoint.address() + ")";
    } catch (IOException | RuntimeException e) {
      throw broken(endpoint, e);
    }
  }

  /** The fingerprint of an SSH public key as {@code ssh-keygen -l} prints it: SHA256:… */
  public static String fingerprintOf(PublicKey hostKey) {
    return HostKeyFingerprint.sha256Of(hostKey);
  }

  @Override
  public void close() {
    client.stop();
  }

  private ClientSession openSession(SshEndpoint endpoint, SshCredentials credentials)
      throws SshFailure {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    // Read the key first: a key that cannot be read needs no network to say so.
    KeyPair keyPair =
        credentials instanceof SshCredentials.KeyPair key ? PrivateKeyReader.read(key) : null;
    HostKeyFingerprint expected;
    try {
      expected = HostKeyFingerprint.parse(endpoint.hostKeyFingerprint());
    } catch (IllegalArgumentException e) {
      expected = null; // still connect, to tell the operator which key the host presents
    }
    HostKeyCheck hostKey = new HostKeyCheck(expected);

    ClientSession session;
    try {
      session =
          client
              .connect(
                  credentials.username(),
                  endpoint.host(),
                  endpoint.port(),
                  hostKey.asContext(),
                  null)
              .verify(connectTimeout)
              .getSession();
    } catch (IOException | RuntimeException e) {
      throw unreachable(endpoint, e);
    }
    try {
      switch (credentials) {
        case SshCredentials.Password password -> {
          char[] chars = password.password().chars();
          try {
            // MINA keeps identities as String; this one lives only as long as the session.
            session.addPasswordIdentity(new String(chars));
          } finally {
            Arrays.fill(chars, '\0');
          }
        }
        case SshCredentials.KeyPair key -> session.addPublicKeyIdentity(keyPair);
      }
      session.auth().verify(connectTimeout);
      return session;
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      if (hostKey.rejected()) {
        throw hostKeyRefused(endpoint, expected, hostKey.presented());
      }
      if (session.getServerVersion() == null) {
        throw new SshFailure(
            SshFailure.Kind.UNREACHABLE,
            "Connected to "
                + endpoint.address()
                + ", but no SSH server answered there ("
                + rootMessage(e)
                + "). Check that the port is the SSH server's (usually 22).",
            e);
      }
      if (isAuthenticationRefusal(e)) {
        throw authenticationFailed(endpoint, credentials, keyPair);
      }
      throw broken(endpoint, e);
    }
  }

  /** Signals the script's process group (TERM, then KILL if needed) and closes the channel. */
  private void stop(ClientSession session, ChannelExec channel, long processGroup) {
    if (processGroup != NO_PROCESS_GROUP) {
      signal(session, processGroup, "TERM");
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TERMINATE_GRACE);
      if (!events.contains(ClientChannelEvent.CLOSED)) {
        signal(session, processGroup, "KILL");
      }
    }
    channel.close(true);
  }

  /** Best effort: runs {@code kill} in a second channel of the same session. */
  private void signal(ClientSession session, long processGroup, String signal) {
    try (ChannelExec kill =
        session.createExecChannel(RemoteScript.killCommand(processGroup, signal))) {
      kill.open().verify(connectTimeout);
      kill.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), connectTimeout);
    } catch (IOException | RuntimeException e) {
      // The session is going away anyway; closing the channel below is all that is left.
    }
  }

  private static boolean isAuthenticationRefusal(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains("No more authentication methods available")) {
        return true;
      }
    }
    return false;
  }

  private static SshFailure hostKeyRefused(
      SshEndpoint endpoint, HostKeyFingerprint expected, String presented) {
    String keyscan =
        "ssh-keyscan -p " + endpoint.port() + " " + endpoint.host() + " | ssh-keygen -lf -";
    if (expected == null) {
      return new SshFailure(
          SshFailure.Kind.HOST_KEY_MISMATCH,
          "The target's host key fingerprint '"
              + endpoint.hostKeyFingerprint()
              + "' is not in a form Sepia reads. The SSH host key of "
              + endpoint.address()
              + " is "
              + presented
              + ". Confirm it on the host ("
              + keyscan
              + ") and enter it as the target's fingerprint.");
    }
    return new SshFailure(
        SshFailure.Kind.HOST_KEY_MISMATCH,
        "The SSH host key of "
            + endpoint.address()
            + " is "
            + presented
            + ", but the target expects "
            + expected
            + ". If the host was rebuilt, confirm the new key ("
            + keyscan
            + ") and update the target's fingerprint.");
  }

  private static SshFailure authenticationFailed(
      SshEndpoint endpoint, SshCredentials credentials, KeyPair keyPair) {
    String user = credentials.username();
    String detail =
        switch (credentials) {
          case SshCredentials.Password p ->
              "Check the account's username and password, and that the SSH server allows"
                  + " password logins (PasswordAuthentication in sshd_config).";
          case SshCredentials.KeyPair k ->
              "Check that the public key "
                  + fingerprintOf(keyPair.getPublic())
                  + " is in ~"
                  + user
                  + "/.ssh/authorized_keys on the target.";
        };
    return new SshFailure(
        SshFailure.Kind.AUTHENTICATION_FAILED,
        "The SSH server at "
            + endpoint.address()
            + " refused the login of '"
            + user
            + "'. "
            + detail);
  }

  private SshFailure unreachable(SshEndpoint endpoint, Exception e) {
    String why;
    Throwable root = root(e);
    if (root instanceof UnknownHostException) {
      why = "the host name " + endpoint.host() + " is not known (DNS)";
    } else if (root instanceof ConnectException) {
      why = "the connection was refused (" + root.getMessage() + ")";
    } else if (root instanceof NoRouteToHostException) {
      why = "there is no route to the host";
    } else if (root instanceof TimeoutException || mentionsTimeout(root)) {
      why = "no answer within " + connectTimeout.toMillis() / 1000.0 + " s";
    } else {
      why = rootMessage(e);
    }
    return new SshFailure(
        SshFailure.Kind.UNREACHABLE,
        "Cannot reach the SSH target "
            + endpoint.address()
            + ": "
            + why
            + ". Check the host name and port, that the SSH server runs there, and that no"
            + " firewall blocks this server.",
        e);
  }

  private static boolean mentionsTimeout(Throwable t) {
    String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("timeout") || message.contains("timed out");
  }

  private static SshFailure broken(SshEndpoint endpoint, Exception e) {
    return new SshFailure(
        SshFailure.Kind.FAILED,
        "The SSH session with "
            + endpoint.address()
            + " failed: "
            + rootMessage(e)
            + ". Check that the target is up and its SSH server is healthy, then retry.",
        e);
  }

  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = root(e);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static void closeQuietly(ClientSession session) {
    try {
      session.close();
    } catch (IOException | RuntimeException ignored) {
      // already failing; the original error is the one to report
    }
  }
}
