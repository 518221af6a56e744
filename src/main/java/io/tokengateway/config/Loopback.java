package io.tokengateway.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CONTRACT §3: a plain-{@code http} URL the gateway sends secrets to or trusts keys from ({@code decart.baseUrl},
 * {@code jwt.jwksUri}) must name a loopback host; anywhere else the account key travels in cleartext, or an
 * on-path attacker injects signing keys. Decided from the URL alone: no DNS lookup.
 */
public final class Loopback {

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Loopback() {}

  /** Throws naming {@code key} when {@code url} is plain http to a host that is not loopback. */
  public static void requireHttpsUnlessLoopback(String key, String url) {
    URI uri = URI.create(url);
    if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
      throw new ConfigException(key, "plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost); use https");
    }
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String plain = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (plain.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    if (!IPV4_LITERAL.matcher(plain).matches() && !plain.contains(":")) {
      return false;  // a name: only its resolution could tell, and that may change after startup
    }
    try {
      return InetAddress.getByName(plain).isLoopbackAddress();  // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
