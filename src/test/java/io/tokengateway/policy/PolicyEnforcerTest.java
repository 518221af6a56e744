package io.tokengateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.SessionPolicy;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CONTRACT §5 "Policy, per tenant": 403 beyond the tenant's policy, and the exact bytes sent to Decart. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PolicyEnforcerTest {

  private static final Caller CALLER = new Caller("acme", "user-1", "sess-1", 0);
  private static final Caller NO_SESSION = new Caller("acme", "user-1", null, 0);
  private static final String ACME_ORIGIN = "https://app.acme.example";
  /** No restrictions: 60 s default, 300 s max, any model or origin, no session limit. */
  private static final Tenant OPEN = tenant(60, 300, List.of(), List.of(), 0);
  private static final Tenant ACME = tenant(60, 300, List.of("lucy-pro-v2v", "mirage"), List.of(ACME_ORIGIN), 600);

  @Test
  void emptyRequestToOpenTenantSendsOnlyExpiryAndStampedIds() {
    assertThat(upstream("", OPEN, CALLER, null))
      .isEqualTo("{\"expiresIn\":60,\"metadata\":{\"tenantId\":\"acme\",\"userId\":\"user-1\",\"sessionId\":\"sess-1\"}}");
  }

  @Test
  void absentFieldsTakeTheTenantsPolicy() {
    assertThat(upstream("", ACME, NO_SESSION, null)).isEqualTo("{\"expiresIn\":60,"
      + "\"allowedModels\":[\"lucy-pro-v2v\",\"mirage\"],\"allowedOrigins\":[\"https://app.acme.example\"],"
      + "\"constraints\":{\"realtime\":{\"maxSessionDuration\":600}},"
      + "\"metadata\":{\"tenantId\":\"acme\",\"userId\":\"user-1\"}}");
  }

  @Test
  void presentFieldsWithinPolicyAreForwardedInFixedOrder() {
    String body = "{\"metadata\":{\"plan\":\"pro\"},\"constraints\":{\"realtime\":{\"maxSessionDuration\":600}},"
      + "\"allowedOrigins\":[\"https://app.acme.example\"],\"allowedModels\":[\"mirage\"],\"expiresIn\":300}";
    assertThat(upstream(body, ACME, CALLER, ACME_ORIGIN)).isEqualTo("{\"expiresIn\":300,"
      + "\"allowedModels\":[\"mirage\"],\"allowedOrigins\":[\"https://app.acme.example\"],"
      + "\"constraints\":{\"realtime\":{\"maxSessionDuration\":600}},"
      + "\"metadata\":{\"plan\":\"pro\",\"tenantId\":\"acme\",\"userId\":\"user-1\",\"sessionId\":\"sess-1\"}}");
  }

  @Test
  void openTenantForwardsWhateverDecartAccepts() {
    String body = "{\"expiresIn\":300,\"allowedModels\":[\"any-model\"],\"allowedOrigins\":[\"https://x.example\"],"
      + "\"constraints\":{\"realtime\":{\"maxSessionDuration\":86400}}}";
    assertThat(upstream(body, OPEN, CALLER, "https://elsewhere.example")).isEqualTo("{\"expiresIn\":300,"
      + "\"allowedModels\":[\"any-model\"],\"allowedOrigins\":[\"https://x.example\"],"
      + "\"constraints\":{\"realtime\":{\"maxSessionDuration\":86400}},"
      + "\"metadata\":{\"tenantId\":\"acme\",\"userId\":\"user-1\",\"sessionId\":\"sess-1\"}}");
  }

  /** The facts beside the bytes (read by session admission and the ledger) are the values in the bytes. */
  @Test
  void factsBesideTheBytesAreWhatTheBytesSay() {
    for (String body : List.of("", "{\"allowedModels\":[\"mirage\"],\"expiresIn\":120}",
        "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":30}}}")) {
      for (Tenant tenant : List.of(OPEN, ACME)) {
        UpstreamBody sent = PolicyEnforcer.apply(TokenRequest.parse(Buffer.buffer(body)), tenant, CALLER, null);
        JsonObject json = sent.json().toJsonObject();
        JsonObject realtime = json.getJsonObject("constraints", new JsonObject()).getJsonObject("realtime");
        assertThat(sent.expiresIn()).as(body).isEqualTo(json.getInteger("expiresIn"));
        assertThat(sent.sessionSeconds()).as(body).isEqualTo(realtime == null ? 0 : realtime.getInteger("maxSessionDuration"));
        assertThat(sent.allowedModels()).as(body).isEqualTo(list(json.getJsonArray("allowedModels")));
        assertThat(sent.allowedOrigins()).as(body).isEqualTo(list(json.getJsonArray("allowedOrigins")));
      }
    }
  }

  private static List<Object> list(JsonArray array) {
    return array == null ? null : array.getList();
  }

  @Test
  void defaultExpiryIsClampedToTheTenantsMaximum() {
    assertThat(upstream("", tenant(600, 120, List.of(), List.of(), 0), CALLER, null)).startsWith("{\"expiresIn\":120,");
  }

  @Test
  void spoofedIdsAreOverwritten() {
    String body = "{\"metadata\":{\"userId\":\"admin\",\"a\":1,\"tenantId\":\"globex\",\"sessionId\":\"forged\"}}";
    assertThat(upstream(body, OPEN, CALLER, null)).isEqualTo("{\"expiresIn\":60,"
      + "\"metadata\":{\"a\":1,\"tenantId\":\"acme\",\"userId\":\"user-1\",\"sessionId\":\"sess-1\"}}");
  }

  @Test
  void lookAlikesOfTheStampedIdsAreRemoved() {
    String body = "{\"metadata\":{\"TenantId\":\"globex\",\"tenant_id\":\"globex\",\"user-id\":\"admin\","
      + "\"SESSION_ID\":\"forged\",\"tenant\":\"kept\",\"user_name\":\"kept\"}}";
    assertThat(upstream(body, OPEN, CALLER, null)).isEqualTo("{\"expiresIn\":60,\"metadata\":{\"tenant\":\"kept\","
      + "\"user_name\":\"kept\",\"tenantId\":\"acme\",\"userId\":\"user-1\",\"sessionId\":\"sess-1\"}}");
  }

  @Test
  void spoofedSessionIdIsRemovedWhenTheTokenHasNone() {
    String body = "{\"metadata\":{\"sessionId\":\"forged\",\"tenantId\":\"globex\"}}";
    assertThat(upstream(body, OPEN, NO_SESSION, null))
      .isEqualTo("{\"expiresIn\":60,\"metadata\":{\"tenantId\":\"acme\",\"userId\":\"user-1\"}}");
  }

  @Test
  void tenantIdComesFromTheResolvedTenant() {
    Tenant unconfigured = new Tenant("newco", false, true, "DECART_API_KEY", null, 60, 300, List.of(), List.of(), 0,
      RateLimit.UNLIMITED, SessionPolicy.OFF, List.of());
    assertThat(upstream("", unconfigured, new Caller("newco", "u", null, 0), null))
      .isEqualTo("{\"expiresIn\":60,\"metadata\":{\"tenantId\":\"newco\",\"userId\":\"u\"}}");
  }

  @Test
  void callersMetadataIsNotModified() {
    TokenRequest request = TokenRequest.parse(Buffer.buffer("{\"metadata\":{\"tenantId\":\"globex\"}}"));
    PolicyEnforcer.apply(request, OPEN, CALLER, null);
    assertThat(request.metadata().encode()).isEqualTo("{\"tenantId\":\"globex\"}");
  }

  @ParameterizedTest(name = "{0} origin={1} -> {2}")
  @MethodSource("violations")
  void beyondTheTenantsPolicyIs403(String body, String origin, ErrorCode code) {
    GatewayException e = catchThrowableOfType(GatewayException.class,
      () -> PolicyEnforcer.apply(TokenRequest.parse(Buffer.buffer(body)), ACME, CALLER, origin));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.code().status()).isEqualTo(403);
  }

  static Object[][] violations() {
    return new Object[][] {
      {"{\"expiresIn\":301}", null, ErrorCode.POLICY_VIOLATION},
      {"{\"expiresIn\":3600}", null, ErrorCode.POLICY_VIOLATION},
      {"{\"allowedModels\":[\"mirage\",\"other\"]}", null, ErrorCode.MODEL_NOT_ALLOWED},
      {"{\"allowedModels\":[\"MIRAGE\"]}", null, ErrorCode.MODEL_NOT_ALLOWED},
      {"{\"allowedOrigins\":[\"https://evil.example\"]}", null, ErrorCode.ORIGIN_NOT_ALLOWED},
      {"{\"allowedOrigins\":[\"http://app.acme.example\"]}", null, ErrorCode.ORIGIN_NOT_ALLOWED},
      {"{\"constraints\":{\"realtime\":{\"maxSessionDuration\":601}}}", null, ErrorCode.POLICY_VIOLATION},
      {"{}", "https://evil.example", ErrorCode.ORIGIN_NOT_ALLOWED},
      {"{}", "null", ErrorCode.ORIGIN_NOT_ALLOWED},
      {"{\"allowedOrigins\":[\"https://app.acme.example\"]}", "https://evil.example", ErrorCode.ORIGIN_NOT_ALLOWED},
    };
  }

  @Test
  void violationDetailNamesTheIndexNotTheValue() {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> PolicyEnforcer.apply(
      TokenRequest.parse(Buffer.buffer("{\"allowedModels\":[\"mirage\",\"<script>\"]}")), ACME, CALLER, null));
    assertThat(e.detail()).isEqualTo("allowedModels[1] is not allowed for this tenant");
  }

  @Test
  void originHeaderInTheListIsAccepted() {
    assertThat(upstream("", ACME, CALLER, ACME_ORIGIN)).contains("\"allowedOrigins\":[\"https://app.acme.example\"]");
  }

  private static String upstream(String body, Tenant tenant, Caller caller, String origin) {
    TokenRequest request = TokenRequest.parse(Buffer.buffer(body));
    return PolicyEnforcer.apply(request, tenant, caller, origin).json().toString();
  }

  private static Tenant tenant(int defaultExpiresIn, int maxExpiresIn, List<String> models, List<String> origins,
                               int maxSessionDuration) {
    return new Tenant("acme", true, true, "DECART_API_KEY_ACME", null, defaultExpiresIn, maxExpiresIn, models, origins,
      maxSessionDuration, RateLimit.UNLIMITED, SessionPolicy.OFF, List.of());
  }
}
