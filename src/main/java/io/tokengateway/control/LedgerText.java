package io.tokengateway.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The text of a ledger slot ({@link LedgerRing}): request id, user, session id and lease id as UTF-8, each
 * behind one length byte (255 = null), in {@link #BYTES} bytes. Reads may race a writer: lengths are checked
 * against the slot, and the ring's stamp check throws away what such a read returns.
 */
final class LedgerText {

  static final int BYTES = 160;
  private static final int NULL = 255;
  private static final int MAX_FIELD = 254;

  private LedgerText() {}

  /** Writes the entry's four fields at {@code at}; false when they do not fit (the ring keeps it whole then). */
  static boolean put(byte[] text, int at, LedgerEntry entry) {
    int end = at + BYTES;
    at = putText(text, at, end, entry.requestId());
    at = putText(text, at, end, entry.user());
    at = putText(text, at, end, entry.sessionId());
    at = putText(text, at, end, entry.leaseId());
    return at >= 0;
  }

  /** Writes one field (ASCII directly, anything else through its UTF-8 bytes); -1 when it does not fit. */
  private static int putText(byte[] text, int at, int end, String value) {
    if (at < 0 || at >= end) {
      return -1;
    }
    if (value == null) {
      text[at] = (byte) NULL;
      return at + 1;
    }
    int length = value.length();
    if (length > MAX_FIELD || at + 1 + length > end) {
      return -1;
    }
    for (int k = 0; k < length; k++) {
      char c = value.charAt(k);
      if (c >= 0x80) {
        return putUtf8(text, at, end, value);
      }
      text[at + 1 + k] = (byte) c;
    }
    text[at] = (byte) length;
    return at + 1 + length;
  }

  private static int putUtf8(byte[] text, int at, int end, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    boolean exact = new String(bytes, StandardCharsets.UTF_8).equals(value);  // a lone surrogate does not survive
    if (!exact || bytes.length > MAX_FIELD || at + 1 + bytes.length > end) {
      return -1;
    }
    text[at] = (byte) bytes.length;
    System.arraycopy(bytes, 0, text, at + 1, bytes.length);
    return at + 1 + bytes.length;
  }

  /** The four fields of a slot, or null when its lengths run past it (a read torn by a writer). */
  static String[] get(byte[] text, int at) {
    String[] values = new String[4];
    int end = at + BYTES;
    for (int field = 0; field < values.length; field++) {
      if (at >= end) {
        return null;
      }
      int length = text[at++] & 0xff;
      if (length != NULL) {
        if (at + length > end) {
          return null;
        }
        values[field] = new String(text, at, length, StandardCharsets.UTF_8);
        at += length;
      }
    }
    return values;
  }

  /** Whether the user field of the slot at {@code at} is exactly {@code user}, without making a string. */
  static boolean userIs(byte[] text, int at, byte[] user) {
    int end = at + BYTES;
    int skip = text[at] & 0xff;
    int field = at + 1 + (skip == NULL ? 0 : skip);
    if (field >= end) {
      return false;  // torn by a writer
    }
    int length = text[field] & 0xff;
    return length == user.length && field + 1 + length <= end
      && Arrays.equals(text, field + 1, field + 1 + length, user, 0, length);
  }
}
