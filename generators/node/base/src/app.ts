// The application: Fastify with the contract's platform, the OpenAPI document, Swagger UI and the routes.

import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Db } from "./db/database.js";
import { healthRoutes } from "./health.js";
import { ItemRepository } from "./items/repository.js";
import { itemRoutes } from "./items/routes.js";
import { authenticator } from "./platform/auth.js";
import type { Config } from "./platform/config.js";
import { DOCS_PATH, OPENAPI_PATH, PROJECT_TITLE, PROJECT_VERSION } from "./platform/contract.js";
import { frameworkErrors, registerHttpPlatform, requestId } from "./platform/http.js";
import { loggerOptions } from "./platform/logging.js";

/**
 * zod writes a nullable scalar as `type: ["string", "null"]`; the contract's document (and many
 * client generators) spell it `anyOf: [{type: "string"}, {type: "null"}]`.
 */
export function nullableAsAnyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullableAsAnyOf);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([key, child]) => [key, nullableAsAnyOf(child)] as const);
  const object: Record<string, unknown> = Object.fromEntries(entries);
  const { type, ...rest } = object;
  if (Array.isArray(type) && type.length > 1 && type.every((t) => typeof t === "string")) {
    return { anyOf: type.map((t) => (t === "null" ? { type: "null" } : { ...rest, type: t })) };
  }
  return object;
}

const transformObject = createJsonSchemaTransformObject({});

/** What routes need, built once per application. */
export interface Services {
  db: Db;
  items: ItemRepository;
  verify: ReturnType<typeof authenticator>;
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** A pino logger (tests pass their own); by default JSON lines on stdout at `config.logLevel`. */
  loggerInstance?: FastifyServerOptions["loggerInstance"];
}

export async function buildApp({ config, db, loggerInstance }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(loggerInstance === undefined ? { logger: loggerOptions(config.logLevel) } : { loggerInstance }),
    bodyLimit: config.maxBodyBytes,
    genReqId: requestId,
    // genReqId reads the header itself, so an unsafe value is replaced rather than echoed.
    requestIdHeader: false,
    // Fastify's own request lines are off: the platform writes one access line per request.
    logController: new LogController({ requestIdLogLabel: "request_id", disableRequestLogging: true }),
    // The peer address identifies a client (rate limit, logs). Behind a reverse proxy you run, set
    // this to the proxy's address so X-Forwarded-For from it (and only from it) is believed.
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    return503OnClosing: true,
    frameworkErrors,
  });
  app.decorateRequest("principal", null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: without the default text/plain parser, any other media type is a 415.
  app.removeContentTypeParser("text/plain");
  registerHttpPlatform(app, config);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: PROJECT_TITLE,
        version: PROJECT_VERSION,
        description: "CRUD over items with JWT bearer authentication and RFC 9457 errors.",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
    transform: createJsonSchemaTransform({}),
    transformObject: (document) => nullableAsAnyOf(transformObject(document)) as ReturnType<typeof transformObject>,
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    uiConfig: { url: OPENAPI_PATH, validatorUrl: null },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());

  const services: Services = { db, items: new ItemRepository(db), verify: authenticator(config) };
  await app.register(healthRoutes, services);
  await app.register(itemRoutes, services);
  app.addHook("onClose", async () => {
    await db.destroy();
  });
  return app;
}
