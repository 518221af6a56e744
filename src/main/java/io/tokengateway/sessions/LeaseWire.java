package io.tokengateway.sessions;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire form of a {@link LeaseOp.Batch} and of its results between members: one tag byte per operation and
 * its fields, written with Hazelcast's data streams. Java serialization of the same records cost more CPU than
 * the admission itself (class descriptors, reflection, per operation and again for the backup).
 */
final class LeaseWire {

  private static final byte TAKE = 1;
  private static final byte CONFIRM = 2;
  private static final byte RELEASE = 3;
  private static final byte HEARTBEAT = 4;
  private static final byte COUNT = 5;

  private static final byte VERDICT = 1;
  private static final byte FLAG = 2;
  private static final byte COUNTS = 3;
  private static final byte GRANTED = -1;

  private LeaseWire() {}

  static void writeOps(ObjectDataOutput out, List<LeaseOp<?>> ops) throws IOException {
    out.writeInt(ops.size());
    for (LeaseOp<?> op : ops) {
      writeOp(out, op);
    }
  }

  static List<LeaseOp<?>> readOps(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<LeaseOp<?>> ops = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ops.add(readOp(in));
    }
    return ops;
  }

  private static void writeOp(ObjectDataOutput out, LeaseOp<?> op) throws IOException {
    if (op instanceof LeaseOp.TakeOp takeOp) {
      Take take = takeOp.take();
      out.writeByte(TAKE);
      out.writeString(take.leaseId());
      out.writeString(take.tenant());
      out.writeString(take.user());
      out.writeLong(take.nowMs());
      out.writeLong(take.endMs());
      out.writeInt(take.userCap());
      out.writeInt(take.tenantCap());
      writeCounts(out, take.guarantees());
      out.writeInt(take.shared());
      out.writeInt(take.quotaRemaining());
      out.writeLong(take.quotaPolledAtMs());
    } else if (op instanceof LeaseOp.Confirm confirm) {
      out.writeByte(CONFIRM);
      out.writeString(confirm.leaseId());
      out.writeLong(confirm.endMs());
    } else if (op instanceof LeaseOp.Release release) {
      out.writeByte(RELEASE);
      out.writeString(release.leaseId());
      out.writeString(release.tenant());
      out.writeString(release.user());
      out.writeLong(release.nowMs());
    } else if (op instanceof LeaseOp.Heartbeat heartbeat) {
      out.writeByte(HEARTBEAT);
      out.writeString(heartbeat.leaseId());
      out.writeString(heartbeat.tenant());
      out.writeString(heartbeat.user());
      out.writeLong(heartbeat.nowMs());
      out.writeLong(heartbeat.ttlMs());
    } else if (op instanceof LeaseOp.Count count) {
      out.writeByte(COUNT);
      out.writeLong(count.nowMs());
    } else {
      throw new IllegalArgumentException("no wire form for " + op.getClass().getName());
    }
  }

  private static LeaseOp<?> readOp(ObjectDataInput in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case TAKE -> new LeaseOp.TakeOp(new Take(in.readString(), in.readString(), in.readString(), in.readLong(),
        in.readLong(), in.readInt(), in.readInt(), readCounts(in), in.readInt(), in.readInt(), in.readLong()));
      case CONFIRM -> new LeaseOp.Confirm(in.readString(), in.readLong());
      case RELEASE -> new LeaseOp.Release(in.readString(), in.readString(), in.readString(), in.readLong());
      case HEARTBEAT -> new LeaseOp.Heartbeat(in.readString(), in.readString(), in.readString(), in.readLong(),
        in.readLong());
      case COUNT -> new LeaseOp.Count(in.readLong());
      default -> throw new InvalidObjectException("unknown lease operation tag " + tag);
    };
  }

  static void writeResults(ObjectDataOutput out, List<Object> results) throws IOException {
    out.writeInt(results.size());
    for (Object result : results) {
      if (result instanceof Take.Verdict verdict) {
        out.writeByte(VERDICT);
        out.writeByte(verdict.granted() ? GRANTED : verdict.refusal().ordinal());
        out.writeLong(verdict.freesAtMs());
        out.writeInt(verdict.tenantHeld());
      } else if (result instanceof Boolean flag) {
        out.writeByte(FLAG);
        out.writeBoolean(flag);
      } else if (result instanceof Map<?, ?> counts) {
        out.writeByte(COUNTS);
        @SuppressWarnings("unchecked") Map<String, Integer> typed = (Map<String, Integer>) counts;
        writeCounts(out, typed);
      } else {
        throw new IllegalArgumentException("no wire form for a result " + result);
      }
    }
  }

  static List<Object> readResults(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<Object> results = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      byte tag = in.readByte();
      results.add(switch (tag) {
        case VERDICT -> {
          byte refusal = in.readByte();
          yield new Take.Verdict(refusal == GRANTED ? null : Refusal.values()[refusal], in.readLong(), in.readInt());
        }
        case FLAG -> in.readBoolean();
        case COUNTS -> readCounts(in);
        default -> throw new InvalidObjectException("unknown lease result tag " + tag);
      });
    }
    return results;
  }

  private static void writeCounts(ObjectDataOutput out, Map<String, Integer> counts) throws IOException {
    out.writeInt(counts.size());
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      out.writeString(entry.getKey());
      out.writeInt(entry.getValue());
    }
  }

  private static Map<String, Integer> readCounts(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    Map<String, Integer> counts = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      counts.put(in.readString(), in.readInt());
    }
    return counts;
  }
}
