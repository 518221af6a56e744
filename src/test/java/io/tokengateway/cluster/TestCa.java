package io.tokengateway.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A certificate authority made at test time with the JDK's {@code keytool} (a subprocess), issuing
 * node certificates as PEM files the way an operator's cluster CA would: {@code cluster.tls} input.
 */
final class TestCa {

  private static final String PASSWORD = "test-only-password";

  /** One node's files, as {@code cluster.tls} names them. */
  record NodeFiles(Path certFile, Path keyFile, Path trustFile) {}

  private final Path dir;
  private final String name;
  private final Path trustFile;

  private TestCa(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    this.trustFile = dir.resolve(name + "-ca.pem");
  }

  static TestCa create(Path dir, String name) throws Exception {
    TestCa ca = new TestCa(dir, name);
    ca.keytool("-genkeypair", "-keystore", ca.store(name + "-ca"), "-alias", "ca", "-dname", "CN=" + name + " CA",
      "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2");
    ca.keytool("-exportcert", "-rfc", "-keystore", ca.store(name + "-ca"), "-alias", "ca", "-file", ca.trustFile.toString());
    return ca;
  }

  /** A key pair for {@code node}, its certificate signed by this CA, and this CA's certificate as the trust bundle. */
  NodeFiles issue(String node) throws Exception {
    String store = store(node);
    Path csr = dir.resolve(node + ".csr");
    Path cert = dir.resolve(node + "-cert.pem");
    keytool("-genkeypair", "-keystore", store, "-alias", node, "-dname", "CN=" + node, "-keyalg", "EC",
      "-groupname", "secp256r1", "-validity", "2");
    keytool("-certreq", "-keystore", store, "-alias", node, "-file", csr.toString());
    keytool("-gencert", "-keystore", store(name + "-ca"), "-alias", "ca", "-infile", csr.toString(), "-outfile",
      cert.toString(), "-rfc", "-validity", "2", "-ext", "eku=serverAuth,clientAuth");
    Path key = dir.resolve(node + "-key.pem");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(store, node).getEncoded()));
    return new NodeFiles(cert, key, trustFile);
  }

  private String store(String alias) {
    return dir.resolve(alias + ".p12").toString();
  }

  /** keytool can export certificates as PEM but not private keys: read it from the PKCS#12 store (PKCS#8). */
  private static PrivateKey privateKey(String store, String alias) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(store))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return (PrivateKey) keys.getKey(alias, PASSWORD.toCharArray());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
