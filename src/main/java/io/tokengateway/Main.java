package io.tokengateway;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.dev.DevMode;
import io.tokengateway.tenant.KeySource;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.Future;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.metrics.VertxMeters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.tokengateway.cluster.Clustering;
import io.tokengateway.cluster.Membership;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import io.tokengateway.logging.Logging;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code java -jar token-gateway.jar [--conf PATH] [--dev]} (CONTRACT §3): load and validate the
 * config (exit 2 on any fault), start the gateway, and on SIGTERM drain and stop (CONTRACT §11).
 */
public final class Main {

  public static final int EXIT_CONFIG = 2;
  public static final String DEFAULT_CONF = "conf/gateway.yaml";
  /** CONTRACT §11: the whole shutdown must end within 30 s. */
  static final long SHUTDOWN_LIMIT_SECONDS = 28;
  /** Start, listening and stop lines: printed at every {@code logging.level} (CONTRACT §3, logging/log4j2.xml). */
  private static final String LIFECYCLE = "io.tokengateway.lifecycle";

  private record Args(String conf, boolean dev) {}

  private Main() {}

  public static void main(String[] argv) {
    StartupClasses.preload();
    Args args = parse(argv, System.getenv());
    Logging.start(args.dev(), System.getenv());
    lifecycle().info("token-gateway " + Version.VALUE + " starting");
    // A small Vert.x reads the config without blocking; the gateway's own (with metrics, clustered
    // when configured) is built from what the config says. In dev mode it also hosts the simulator.
    Vertx boot = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    Map<String, String> env = new HashMap<>(System.getenv());
    Future<DevMode> dev = args.dev() ? DevMode.start(boot, env) : Future.succeededFuture(null);
    dev.compose(mode -> start(boot, args.conf(), env, mode))
      .onSuccess(gateway -> onTerminate(() -> shutdown(gateway, boot)))
      .onFailure(failure -> exit(boot, failure));
  }

  private static Future<Gateway> start(Vertx boot, String conf, Map<String, String> env, DevMode dev) {
    UnaryOperator<io.vertx.core.json.JsonObject> patch = dev == null ? UnaryOperator.identity() : dev::patch;
    PrometheusMeterRegistry registry = GatewayMetrics.newRegistry();
    return ConfigLoader.load(boot, conf, env, patch)
      .onSuccess(config -> Logging.apply(config.logging(), dev != null))
      .compose(config -> tenants(boot, config, dev)
        .compose(tenants -> runtime(boot, config, registry)
          .compose(membership -> Gateway.start(membership, config, tenants, env, registry)))
        .onSuccess(gateway -> {
          announce(gateway, dev);
          if (dev == null) {
            boot.close();
          }
        }));
  }

  /** The gateway's Vert.x: Micrometer metrics always; Hazelcast only when {@code cluster.enabled}. */
  private static Future<Membership> runtime(Vertx boot, GatewayConfig config, PrometheusMeterRegistry registry) {
    // VertxMeters: vertx-micrometer's metrics (CONTRACT §7) with its HTTP request meters registered once; 5.0.7's
    // own look them up in the registry on every request (4-8 % of the CPU, bench/README.md), and its
    // meterCacheEnabled option is read by nothing, so it is not set here.
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      // One outcome event per request would be counted again as event-bus traffic: our own metrics say it better.
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    VertxBuilder builder = Vertx.builder().withMetrics(new VertxMeters(registry));
    if (config.cluster().enabled()) {
      return Clustering.start(boot, builder, options, config.cluster());
    }
    // Built from a plain thread: building one Vert.x on another's event loop works but warns.
    return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> builder.with(options).build()),
      boot.getOrCreateContext()).map(Membership::single);
  }

  private static Future<TenantDirectory> tenants(Vertx vertx, GatewayConfig config, DevMode dev) {
    if (dev != null) {
      return Future.succeededFuture(dev.tenants(config));
    }
    return TenantDirectory.load(vertx, config.tenants().file(), KeySource.defaultOf(config.decart()));
  }

  private static void announce(Gateway gateway, DevMode dev) {
    lifecycle().info("token-gateway listening public=" + gateway.publicPort() + " management=" + gateway.managementPort());
    if (dev != null) {
      dev.announce(gateway.publicPort());
    }
  }

  /**
   * SIGTERM and SIGINT run an orderly stop and then exit 0 (CONTRACT §11); a plain shutdown hook
   * would end with the signal's status (143) instead.
   */
  private static void onTerminate(Runnable stop) {
    sun.misc.SignalHandler handler = signal -> new Thread(() -> {
      stop.run();
      System.exit(0);
    }, "shutdown").start();
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
  }

  /** Runs on its own thread, never an event loop: waiting here blocks nothing. */
  private static void shutdown(Gateway gateway, Vertx boot) {
    lifecycle().info("SIGTERM: readiness off, draining");
    CountDownLatch done = new CountDownLatch(1);
    gateway.stop(gateway.drainMs()).eventually(gateway.vertx()::close).eventually(boot::close)
      .onComplete(ar -> done.countDown());
    try {
      if (!done.await(SHUTDOWN_LIMIT_SECONDS, TimeUnit.SECONDS)) { // allowed: shutdown-hook thread
        log().warn("shutdown did not finish in time; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lifecycle().info("stopped");
    // Drains the async loggers before the JVM goes: the last lines are the ones an operator reads.
    LogManager.shutdown();
  }

  private static void exit(Vertx vertx, Throwable failure) {
    if (failure instanceof ConfigException) {
      System.err.println("token-gateway: config error: " + failure.getMessage()); // allowed: the one line CONTRACT §3 asks for
      log().error("config error: {}", failure.getMessage());
      System.exit(EXIT_CONFIG);
    }
    log().error("startup failed", failure);
    vertx.close();
    System.exit(1);
  }

  /** Not a static field: Main's class loads before {@link Logging#start} has routed the logging APIs. */
  private static Logger log() {
    return LogManager.getLogger(Main.class);
  }

  private static Logger lifecycle() {
    return LogManager.getLogger(LIFECYCLE);
  }

  private static Args parse(String[] argv, Map<String, String> env) {
    String conf = env.getOrDefault("GATEWAY_CONF", DEFAULT_CONF);
    boolean dev = false;
    for (int i = 0; i < argv.length; i++) {
      if (argv[i].equals("--dev")) {
        dev = true;
      } else if (argv[i].equals("--conf") && i + 1 < argv.length) {
        conf = argv[++i];
      } else if (argv[i].startsWith("--conf=")) {
        conf = argv[i].substring("--conf=".length());
      } else {
        System.err.println("token-gateway: usage: java -jar token-gateway.jar [--conf PATH] [--dev]"); // allowed: CLI usage line
        System.exit(EXIT_CONFIG);
      }
    }
    return new Args(conf, dev);
  }
}
