package io.tokengateway.control;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.http.ProblemResponder;
import io.tokengateway.http.RequestIds;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The operator's endpoints (CONTRACT §13): blocks (take, lift, list; taking one answers with its
 * exposure) and the ledger. Every failure is a {@link GatewayException} rendered by {@link ProblemResponder}.
 */
final class AdminApi {

  private static final Logger LOG = LogManager.getLogger(AdminApi.class);
  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Blocks blocks;
  private final FleetLedger ledger;
  private final TenantDirectory tenants;
  private final Audit audit;
  private final Clock clock;

  AdminApi(Blocks blocks, FleetLedger ledger, TenantDirectory tenants, Audit audit, Clock clock) {
    this.blocks = blocks;
    this.ledger = ledger;
    this.tenants = tenants;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/admin/blocks").handler(this::list);
    router.put("/admin/blocks/:tenant").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(this::block);
    router.put("/admin/blocks/:tenant/users/:user").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
      .handler(this::block);
    router.delete("/admin/blocks/:tenant").handler(this::lift);
    router.delete("/admin/blocks/:tenant/users/:user").handler(this::lift);
    router.get("/admin/ledger").handler(this::ledger);
    router.route("/admin/blocks*").failureHandler(AdminApi::fail);
    router.route("/admin/ledger").failureHandler(AdminApi::fail);
  }

  private void block(RoutingContext ctx) {
    Instant now = clock.instant();
    BlockRequest request = BlockRequest.parse(ctx.pathParam("tenant"), ctx.pathParam("user"), ctx.body().buffer(), now);
    Block block = new Block(request.tenant(), request.user(), request.reason(), request.until(), now, Block.ADMIN);
    blocks.put(block)
      .onSuccess(v -> audit.write("block", block.key(), block.reason(), block.until().toString(),
        AdminAuth.tokenPosition(ctx), RequestIds.of(ctx.request())))
      .compose(v -> ledger.exposure(block.tenant(), block.user()))
      .onSuccess(answers -> ctx.json(new JsonObject().put("tenant", block.tenant()).put("user", block.user())
        .put("reason", block.reason()).put("until", block.until().toString())
        .put("exposure", FleetLedger.sum(answers).toJson()).put("missing", new JsonArray(answers.missing()))))
      .onFailure(ctx::fail);
  }

  private void lift(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String user = ctx.pathParam("user");
    List<GatewayException.FieldError> errors = BlockRequest.scope(tenant, user);
    if (!errors.isEmpty()) {
      throw GatewayException.validation(errors);
    }
    if (user != null && tenants.blockedUsers().getOrDefault(tenant, List.of()).contains(user)) {
      throw GatewayException.validation("user", "blocked by tenants.yaml blockedUsers: lift it in that file");
    }
    blocks.lift(tenant, user)
      .onSuccess(v -> {
        audit.write("unblock", Block.key(tenant, user), null, null, AdminAuth.tokenPosition(ctx),
          RequestIds.of(ctx.request()));
        ctx.response().setStatusCode(204).end();
      })
      .onFailure(ctx::fail);
  }

  /** Admin blocks in force, then tenants.yaml's permanent ones ({@code "until": null}). */
  private void list(RoutingContext ctx) {
    JsonArray all = new JsonArray();
    blocks.inForce().forEach(block -> all.add(block.toJson()));
    tenants.blockedUsers().forEach((tenant, users) -> users.forEach(user -> all.add(
      new Block(tenant, user, "tenants.yaml blockedUsers", null, null, Block.TENANTS_FILE).toJson())));
    ctx.json(new JsonObject().put("at", clock.instant().toString()).put("blocks", all));
  }

  private void ledger(RoutingContext ctx) {
    String tenant = ctx.queryParams().get("tenant");
    String user = ctx.queryParams().get("user");
    List<GatewayException.FieldError> errors = new java.util.ArrayList<>(BlockRequest.scope(tenant, user));
    int limit = limit(ctx.queryParams().get("limit"), errors);
    if (!errors.isEmpty()) {
      throw GatewayException.validation(errors);
    }
    ledger.entries(tenant, user, limit).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static int limit(String value, List<GatewayException.FieldError> errors) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new GatewayException.FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
    return 0;
  }

  private static void fail(RoutingContext ctx) {
    String requestId = RequestIds.of(ctx.request());
    GatewayException failure;
    if (ctx.failure() instanceof GatewayException known) {
      failure = known;
    } else if (ctx.statusCode() == 413) {
      failure = new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    } else {
      LOG.error("admin request failed (requestId={})", requestId, ctx.failure());
      failure = new GatewayException(ErrorCode.INTERNAL_ERROR, "an internal error occurred");
    }
    ProblemResponder.respond(ctx.response(), failure, requestId);
  }
}
