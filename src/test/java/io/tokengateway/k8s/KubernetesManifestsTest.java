package io.tokengateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tokengateway.Version;
import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.tenant.KeySource;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.upstream.AccountKeys;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code k8s/} manifests (issue 6) against each other and against the gateway's own config validation:
 * whatever can drift between files (ports, probe paths, key env names, labels, names) fails here,
 * each message naming the file and the field.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("k8s");
  private static final String KUSTOMIZATION = "kustomization.yaml";
  private static final String COMMON_LABEL = "app.kubernetes.io/name";
  /** CONTRACT §10: the label reserved for cluster peers, the only pods the cluster ports are open to. */
  private static final String CLUSTER_PEER_LABEL = "token-gateway.io/cluster-peer";
  private static final String CONTAINER = "spec.template.spec.containers.0";
  /** What the kubelet puts into fieldRef env vars; any well-formed value validates the same. */
  private static final Map<String, String> FIELD_REFS = Map.of("status.podIP", "10.0.0.10");
  /** CONTRACT §11: SIGTERM to exit. */
  private static final int SHUTDOWN_BOUND_SECONDS = 30;

  /** An example only, never applied: `kubectl apply -k` must not overwrite the real keys (issue 11). */
  private static final String SECRET_EXAMPLE = "secret.example.yaml";
  /** What a pod would get from the real Secret; the example's placeholders are refused at startup (CONTRACT §3). */
  private static final String STAND_IN_KEY = "dct_stand_in_for_the_real_secret";

  private static final Manifest KUSTOMIZE = Manifest.read(DIR.resolve(KUSTOMIZATION)).get(0);
  private static final List<Manifest> MANIFESTS = readAll();
  private static final Manifest SECRET = Manifest.read(DIR.resolve(SECRET_EXAMPLE)).get(0);

  @Test
  void everyFileIsOneResourceListedInTheKustomization() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(DIR)) {
      list.map(p -> p.getFileName().toString()).filter(f -> !f.equals(KUSTOMIZATION)).forEach(files::add);
    }
    assertThat(KUSTOMIZE.strings("resources")).as("kustomization.yaml: resources (the Secret is created by the operator)")
      .doesNotContain(SECRET_EXAMPLE);
    files.remove(SECRET_EXAMPLE);
    assertThat(files).as("k8s/: files other than kustomization.yaml and %s vs its `resources`", SECRET_EXAMPLE)
      .containsExactlyInAnyOrderElementsOf(KUSTOMIZE.strings("resources"));
    for (String file : files) {
      assertThat(Manifest.read(DIR.resolve(file))).as("%s: one resource per file", file).hasSize(1);
    }
  }

  @Test
  void everyResourceCarriesTheCommonLabelAndNoNamespace() {
    assertThat(KUSTOMIZE.string("namespace")).as("kustomization.yaml: namespace").isEqualTo("token-gateway");
    assertThat(KUSTOMIZE.map("labels.0.pairs")).as("kustomization.yaml: labels[0].pairs")
      .containsEntry(COMMON_LABEL, "token-gateway");
    for (Manifest m : MANIFESTS) {
      assertThat(m.map("metadata.labels")).as("%s: metadata.labels", m.file())
        .containsEntry(COMMON_LABEL, "token-gateway");
      assertThat(m.find("metadata.namespace")).as("%s: metadata.namespace (kustomize sets it)", m.file()).isNull();
    }
  }

  @ParameterizedTest
  @CsvSource({"http, server.port", "management, management.port", "cluster, cluster.port",
    "eventbus, cluster.eventBusPort"})
  void containerPortsAreTheConfiguredPorts(String portName, String configKey) {
    int configured = switch (configKey) {
      case "server.port" -> config().server().port();
      case "management.port" -> config().management().port();
      case "cluster.eventBusPort" -> config().cluster().eventBusPort();
      default -> config().cluster().port();
    };
    assertThat(containerPort(portName)).as("deployment.yaml: container port %s vs configmap.yaml gateway.yaml %s",
      portName, configKey).isEqualTo(configured);
  }

  @ParameterizedTest
  @CsvSource({"readinessProbe, /health/ready", "livenessProbe, /health/live", "startupProbe, /health/live"})
  void probesAskTheManagementPort(String probe, String path) {
    Manifest deployment = kind("Deployment");
    String field = CONTAINER + "." + probe + ".httpGet";
    assertThat(deployment.string(field + ".path")).as("deployment.yaml: %s.path", field).isEqualTo(path);
    assertThat(portNumber(deployment.at(field + ".port"))).as("deployment.yaml: %s.port", field)
      .isEqualTo(config().management().port());
  }

  @Test
  void theConfigMapPassesTheGatewaysOwnValidation() {
    GatewayConfig config = config();
    assertThatCode(() -> TenantDirectory.of(tenantsYaml(), KeySource.defaultOf(config.decart())))
      .as("configmap.yaml: tenants.yaml").doesNotThrowAnyException();
  }

  @Test
  void theConfigMapIsMountedWhereTheConfigPointsAsADirectory() {
    Map<String, Object> mount = volumeMount("config");
    assertThat(mount).as("deployment.yaml: volumeMounts[config].subPath (blocks hot reload)")
      .doesNotContainKey("subPath");
    String dir = (String) mount.get("mountPath");
    assertThat(podEnv()).as("deployment.yaml: env GATEWAY_CONF").containsEntry("GATEWAY_CONF", dir + "/gateway.yaml");
    assertThat(config().tenants().file()).as("configmap.yaml: gateway.yaml tenants.file")
      .isEqualTo(dir + "/tenants.yaml");
    assertThat(volume("config").get("configMap")).as("deployment.yaml: volumes[config].configMap")
      .isEqualTo(Map.of("name", kind("ConfigMap").name()));
  }

  /** CONTRACT §14: each account's keys are a file of the mounted Secret (or an env var filled from it). */
  @Test
  void everyKeySourceComesFromTheSecretExample() {
    Manifest secret = SECRET;
    Map<String, Object> mount = volumeMount("decart-keys");
    assertThat(mount).as("deployment.yaml: volumeMounts[decart-keys].subPath (blocks rotation)")
      .doesNotContainKey("subPath");
    assertThat(volume("decart-keys").get("secret")).as("deployment.yaml: volumes[decart-keys].secret")
      .isEqualTo(Map.of("secretName", secret.name(), "defaultMode", 0440));
    Set<String> used = new TreeSet<>();
    for (KeySource source : keySources()) {
      String name = source.file() ? fileInMount(source, (String) mount.get("mountPath")) : source.account();
      if (!source.file()) {
        Object ref = new Manifest("deployment.yaml: env " + name, asMap(envEntries().get(name)))
          .find("valueFrom.secretKeyRef");
        assertThat(ref).as("deployment.yaml: env %s.valueFrom.secretKeyRef", name)
          .isEqualTo(Map.of("name", secret.name(), "key", name));
      }
      assertThat(secret.map("stringData")).as("secret.example.yaml: stringData (for %s)", source.configKey())
        .containsKey(name);
      used.add(name);
    }
    assertThat(secret.map("stringData").keySet()).as("secret.example.yaml: stringData keys (each used by an account)")
      .isEqualTo(used);
  }

  @Test
  void theSecretExamplesPlaceholdersAreRefusedByTheGateway() {
    SECRET.map("stringData").forEach((key, value) -> assertThatThrownBy(() ->
      AccountKeys.validated(String.valueOf(value), KeySource.env(key, "k8s"), key))
      .as("secret.example.yaml: stringData.%s must be replaced before pods start", key)
      .isInstanceOf(ConfigException.class));
  }

  @Test
  void theSecretExampleHoldsOnlyPlaceholders() {
    assertThat(SECRET.kind()).as("%s: kind", SECRET_EXAMPLE).isEqualTo("Secret");
    SECRET.map("stringData").forEach((key, value) ->
      assertThat(String.valueOf(value)).as("secret.example.yaml: stringData.%s", key).isEqualTo("dct_REPLACE_ME"));
  }

  @ParameterizedTest
  @CsvSource({
    "deployment.yaml, spec.selector.matchLabels",
    "deployment.yaml, spec.template.spec.topologySpreadConstraints.0.labelSelector.matchLabels",
    "deployment.yaml, spec.template.spec.topologySpreadConstraints.1.labelSelector.matchLabels",
    "service.yaml, spec.selector",
    "service-headless.yaml, spec.selector",
    "service-management.yaml, spec.selector",
    "pdb.yaml, spec.selector.matchLabels",
    "networkpolicy.yaml, spec.podSelector.matchLabels"})
  void selectorsMatchThePodLabels(String file, String field) {
    Map<String, Object> podLabels = kind("Deployment").map("spec.template.metadata.labels");
    Map<String, Object> selector = file(file).map(field);
    assertThat(selector).as("%s: %s", file, field).isNotEmpty();
    assertThat(selector.entrySet()).as("%s: %s vs deployment.yaml pod labels", file, field)
      .isSubsetOf(podLabels.entrySet());
  }

  @ParameterizedTest
  @CsvSource({"service.yaml, http", "service-headless.yaml, cluster", "service-management.yaml, management"})
  void servicesTargetNamedContainerPorts(String file, String portName) {
    Manifest service = file(file);
    assertThat(service.string("spec.ports.0.targetPort")).as("%s: spec.ports[0].targetPort", file).isEqualTo(portName);
    assertThat(service.list("spec.ports")).as("%s: spec.ports", file).hasSize(1);
    containerPort(portName);
  }

  @Test
  void theServiceMonitorScrapesMetricsOfTheManagementServiceOnly() {
    Manifest monitor = kind("ServiceMonitor");
    Map<String, Object> selector = monitor.map("spec.selector.matchLabels");
    List<String> selected = MANIFESTS.stream().filter(m -> m.kind().equals("Service"))
      .filter(m -> m.map("metadata.labels").entrySet().containsAll(selector.entrySet())).map(Manifest::name).toList();
    assertThat(selected).as("servicemonitor.yaml: spec.selector.matchLabels selects")
      .containsExactly("token-gateway-management");
    assertThat(monitor.string("spec.endpoints.0.port")).as("servicemonitor.yaml: spec.endpoints[0].port")
      .isEqualTo(file("service-management.yaml").string("spec.ports.0.name"));
    assertThat(monitor.string("spec.endpoints.0.path")).as("servicemonitor.yaml: spec.endpoints[0].path")
      .isEqualTo("/metrics");
  }

  @ParameterizedTest
  @CsvSource({"http, ", "management, namespaceSelector", "cluster, podSelector", "eventbus, podSelector"})
  void theNetworkPolicyAdmitsEachPortFromItsPeers(String portName, String peer) {
    Manifest policy = kind("NetworkPolicy");
    Manifest rule = policy.list("spec.ingress").stream().map(r -> new Manifest("networkpolicy.yaml", asMap(r)))
      .filter(r -> r.list("ports").stream().anyMatch(port -> portName.equals(asMap(port).get("port")))).findFirst()
      .orElseGet(() -> fail("networkpolicy.yaml: no spec.ingress rule for port " + portName));
    containerPort(portName);
    String field = "networkpolicy.yaml: ingress[" + portName + "].from";
    if (peer == null) {
      assertThat(rule.find("from")).as(field + " (anywhere)").isNull();
      return;
    }
    assertThat(rule.list("from")).as(field).hasSize(1);
    if (peer.equals("namespaceSelector")) {
      assertThat(rule.map("from.0.namespaceSelector.matchLabels")).as(field)
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
    } else {
      assertThat(rule.map("from.0.podSelector.matchLabels")).as(field + ": only pods with the cluster-peer label")
        .isEqualTo(Map.of(CLUSTER_PEER_LABEL, "true"));
      assertThat(kind("Deployment").map("spec.template.metadata.labels")).as("deployment.yaml: pod labels")
        .containsEntry(CLUSTER_PEER_LABEL, "true");
    }
  }

  @Test
  void theHpaScalesTheDeploymentFromItsReplicas() {
    Manifest hpa = kind("HorizontalPodAutoscaler");
    Manifest deployment = kind("Deployment");
    assertThat(hpa.map("spec.scaleTargetRef")).as("hpa.yaml: spec.scaleTargetRef")
      .isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", deployment.name()));
    assertThat(hpa.at("spec.minReplicas")).as("hpa.yaml: spec.minReplicas vs deployment.yaml spec.replicas")
      .isEqualTo(deployment.at("spec.replicas"));
  }

  @Test
  void theGracePeriodCoversPreStopAndShutdown() {
    Manifest deployment = kind("Deployment");
    int preStop = (Integer) deployment.at(CONTAINER + ".lifecycle.preStop.sleep.seconds");
    assertThat(preStop * 1000).as("deployment.yaml: preStop.sleep.seconds vs gateway.yaml server.shutdownDrainMs")
      .isEqualTo(config().server().shutdownDrainMs());
    assertThat((Integer) deployment.at("spec.template.spec.terminationGracePeriodSeconds"))
      .as("deployment.yaml: terminationGracePeriodSeconds vs preStop + %d s shutdown", SHUTDOWN_BOUND_SECONDS)
      .isGreaterThan(preStop + SHUTDOWN_BOUND_SECONDS);
  }

  @ParameterizedTest
  @CsvSource({"runAsNonRoot, true", "runAsUser, 10001", "allowPrivilegeEscalation, false",
    "readOnlyRootFilesystem, true", "seccompProfile.type, RuntimeDefault", "capabilities.drop, [ALL]"})
  void theContainerIsLockedDown(String field, String expected) {
    Manifest deployment = kind("Deployment");
    Object value = deployment.find(CONTAINER + ".securityContext." + field);
    Object effective = value != null ? value : deployment.find("spec.template.spec.securityContext." + field);
    assertThat(String.valueOf(effective)).as("deployment.yaml: securityContext.%s (container, else pod)", field)
      .isEqualTo(expected);
  }

  @Test
  void theContainerHasResourcesAndAWritableTmp() {
    Manifest deployment = kind("Deployment");
    for (String field : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
      deployment.at(CONTAINER + ".resources." + field);
    }
    assertThat(volumeMount("tmp")).as("deployment.yaml: volumeMounts[tmp]").containsEntry("mountPath", "/tmp");
    assertThat(volume("tmp")).as("deployment.yaml: volumes[tmp]").containsKey("emptyDir");
    assertThat(podEnv().get("JAVA_TOOL_OPTIONS")).as("deployment.yaml: env JAVA_TOOL_OPTIONS")
      .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC",
        "-XX:TrimNativeHeapInterval=");
  }

  /** A flag this JVM does not know (a typo, or one newer than Java 17) would keep every pod from starting. */
  @Test
  void theDeploymentsJvmFlagsStartThisJvm() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(podEnv().get("JAVA_TOOL_OPTIONS").trim().split("\\s+")));
    command.add("-version");
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes());
    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  @Test
  void clusterDiscoveryNamesTheHeadlessService() {
    Manifest headless = file("service-headless.yaml");
    GatewayConfig.Cluster cluster = config().cluster();
    assertThat(cluster.enabled()).as("cluster.enabled as the pod sees it").isTrue();
    assertThat(cluster.kubernetesServiceDns()).as("cluster.kubernetesServiceDns as the pod sees it").isNotNull();
    String[] dns = cluster.kubernetesServiceDns().split("\\.", 3);
    String field = "deployment.yaml + configmap.yaml: cluster.kubernetesServiceDns " + cluster.kubernetesServiceDns();
    assertThat(dns[0]).as(field + " vs service-headless.yaml metadata.name").isEqualTo(headless.name());
    assertThat(dns[1]).as(field + " vs kustomization.yaml namespace").isEqualTo(KUSTOMIZE.string("namespace"));
    assertThat(dns[2]).as(field).startsWith("svc.");
    assertThat(new Manifest("configmap.yaml gateway.yaml", gatewayYaml().getMap()).find("cluster.kubernetesServiceDns"))
      .as("configmap.yaml: gateway.yaml cluster.kubernetesServiceDns vs the Deployment's env")
      .isIn(null, cluster.kubernetesServiceDns());
    assertThat(headless.string("spec.clusterIP")).as("service-headless.yaml: spec.clusterIP").isEqualTo("None");
    assertThat(headless.at("spec.publishNotReadyAddresses")).as("service-headless.yaml: spec.publishNotReadyAddresses")
      .isEqualTo(true);
    assertThat(headless.at("spec.ports.0.port")).as("service-headless.yaml: spec.ports[0].port")
      .isEqualTo(cluster.port());
    assertThat(envEntries().get("GATEWAY_CLUSTER_HOST")).as("deployment.yaml: env GATEWAY_CLUSTER_HOST")
      .isEqualTo(Map.of("name", "GATEWAY_CLUSTER_HOST",
        "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "status.podIP"))));
  }

  @Test
  void theImageIsThisBuildsVersion() {
    assertThat(kind("Deployment").string(CONTAINER + ".image")).as("deployment.yaml: image vs pom.xml version")
      .endsWith(":" + Version.VALUE);
  }

  /** Optional: kubectl's built-in kustomize renders the set (no cluster needed); skipped where kubectl is absent. */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void kustomizeRendersEveryResourceIntoTheNamespace() throws Exception {
    Path kubectl = onPath("kubectl");
    Assumptions.assumeTrue(kubectl != null, "kubectl is not on PATH: `kubectl kustomize k8s` not checked");
    Path out = Files.createTempFile("kustomize", ".yaml");
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", DIR.toString())
      .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize k8s finished").isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize k8s: %s", Files.readString(out)).isZero();
    List<Manifest> rendered = Manifest.read(out);
    Files.delete(out);
    assertThat(rendered).as("kubectl kustomize k8s: resources").hasSameSizeAs(MANIFESTS);
    rendered.stream().filter(m -> !m.kind().equals("Namespace")).forEach(m ->
      assertThat(m.string("metadata.namespace")).as("rendered %s %s: metadata.namespace", m.kind(), m.name())
        .isEqualTo("token-gateway"));
  }

  // --- the pod as Kubernetes would run it ---------------------------------------------------------------

  /** The main config exactly as the pod reads it: the ConfigMap's file plus the Deployment's env overrides. */
  private static GatewayConfig config() {
    try {
      return ConfigLoader.parse(gatewayYaml(), podEnv());
    } catch (RuntimeException e) {
      return fail("configmap.yaml: gateway.yaml with the Deployment's env fails the gateway's validation: "
        + e.getMessage());
    }
  }

  private static JsonObject gatewayYaml() {
    return new JsonObject(asMap(new Yaml().load(kind("ConfigMap").string("data.gateway\\.yaml"))));
  }

  private static JsonObject tenantsYaml() {
    return new JsonObject(asMap(new Yaml().load(kind("ConfigMap").string("data.tenants\\.yaml"))));
  }

  /** Every account in use, found by the gateway's own tenants parsing. */
  private static Set<KeySource> keySources() {
    return TenantDirectory.of(tenantsYaml(), KeySource.defaultOf(config().decart())).keySources();
  }

  private static String fileInMount(KeySource source, String mountPath) {
    Path file = Path.of(source.account());
    assertThat(file.getParent()).as("configmap.yaml: %s is a file of the decart-keys mount", source.configKey())
      .isEqualTo(Path.of(mountPath));
    return file.getFileName().toString();
  }

  /** The container's environment: literal values, Secret keys from the example, fieldRefs as placeholders. */
  private static Map<String, String> podEnv() {
    Map<String, String> env = new HashMap<>();
    envEntries().forEach((name, entry) ->
      env.put(name, envValue(new Manifest("deployment.yaml: env " + name, asMap(entry)))));
    return env;
  }

  private static String envValue(Manifest entry) {
    if (entry.find("value") != null) {
      assertThat(entry.find("value")).as("%s.value (Kubernetes takes only strings)", entry.file())
        .isInstanceOf(String.class);
      return (String) entry.find("value");
    }
    if (entry.find("valueFrom.secretKeyRef") != null) {
      assertThat(entry.string("valueFrom.secretKeyRef.name")).as("%s.valueFrom.secretKeyRef.name", entry.file())
        .isEqualTo(SECRET.name());
      assertThat(SECRET.map("stringData")).as("%s: stringData", SECRET_EXAMPLE)
        .containsKey(entry.string("valueFrom.secretKeyRef.key"));
      return STAND_IN_KEY;
    }
    return FIELD_REFS.get(entry.string("valueFrom.fieldRef.fieldPath"));
  }

  private static Map<String, Object> envEntries() {
    Map<String, Object> entries = new HashMap<>();
    kind("Deployment").list(CONTAINER + ".env").forEach(e -> entries.put((String) asMap(e).get("name"), e));
    return entries;
  }

  private static int containerPort(String name) {
    return named(CONTAINER + ".ports", name).map("").get("containerPort") instanceof Integer port ? port
      : fail("deployment.yaml: container port " + name + " has no integer containerPort");
  }

  /** A probe's port: a number, or the name of a container port. */
  private static int portNumber(Object port) {
    return port instanceof Integer number ? number : containerPort((String) port);
  }

  private static Map<String, Object> volumeMount(String name) {
    return named(CONTAINER + ".volumeMounts", name).map("");
  }

  private static Map<String, Object> volume(String name) {
    return named("spec.template.spec.volumes", name).map("");
  }

  /** The entry called {@code name} of a list field of the Deployment. */
  private static Manifest named(String listField, String name) {
    return kind("Deployment").list(listField).stream().map(e -> new Manifest("deployment.yaml", asMap(e)))
      .filter(e -> name.equals(e.find("name"))).findFirst()
      .orElseGet(() -> fail("deployment.yaml: " + listField + " has no entry named " + name));
  }

  // --- reading the files --------------------------------------------------------------------------------

  private static Manifest kind(String kind) {
    List<Manifest> found = MANIFESTS.stream().filter(m -> m.kind().equals(kind)).toList();
    assertThat(found).as("k8s/: resources of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  private static Manifest file(String file) {
    return MANIFESTS.stream().filter(m -> m.file().equals(file)).findFirst()
      .orElseGet(() -> fail("k8s/" + file + " is missing"));
  }

  /** Listed files that are missing are skipped here and reported by the listing test, not by class init. */
  private static List<Manifest> readAll() {
    return KUSTOMIZE.strings("resources").stream().map(DIR::resolve).filter(Files::isRegularFile)
      .flatMap(path -> Manifest.read(path).stream()).toList();
  }

  private static Path onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
      .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst().orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : fail("expected a mapping, got " + value);
  }

  /**
   * One YAML document and the file it came from. Paths are dotted, list indexes are numbers, and a dot
   * inside a key is written {@code \.} ({@code data.gateway\.yaml}); a missing field fails naming both.
   */
  private record Manifest(String file, Map<String, Object> doc) {

    static List<Manifest> read(Path path) {
      try {
        String file = path.getFileName().toString();
        List<Manifest> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(path))) {
          if (doc != null) {
            docs.add(new Manifest(file, asMap(doc)));
          }
        }
        return docs;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String kind() {
      return string("kind");
    }

    String name() {
      return string("metadata.name");
    }

    Object at(String path) {
      Object value = find(path);
      return value != null ? value : fail(file + ": " + path.replace("\\.", ".") + " is missing");
    }

    /** The value at {@code path}, or null when any step is absent; {@code ""} is the document itself. */
    Object find(String path) {
      Object node = doc;
      for (String step : path.isEmpty() ? new String[0] : path.split("(?<!\\\\)\\.")) {
        node = step(node, step.replace("\\.", "."));
      }
      return node;
    }

    String string(String path) {
      return String.valueOf(at(path));
    }

    Map<String, Object> map(String path) {
      return asMap(at(path));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String path) {
      return at(path) instanceof List<?> list ? (List<Object>) list : fail(file + ": " + path + " is not a list");
    }

    List<String> strings(String path) {
      return list(path).stream().map(String::valueOf).toList();
    }

    private static Object step(Object node, String step) {
      if (node instanceof Map<?, ?> map) {
        return map.get(step);
      }
      if (node instanceof List<?> list && step.matches("\\d{1,3}") && Integer.parseInt(step) < list.size()) {
        return list.get(Integer.parseInt(step));
      }
      return null;
    }
  }
}
