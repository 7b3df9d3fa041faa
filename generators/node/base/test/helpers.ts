// Test helpers: an application over a fresh SQLite file, and tokens minted with the test secret.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { SignJWT } from "jose";
import pino from "pino";
import { buildApp } from "../src/app.js";
import { createDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { type Config, loadConfig } from "../src/platform/config.js";
import { ADMIN_ROLE, JWT_ALGORITHM, PROJECT_NAME, ROLES_CLAIM } from "../src/platform/contract.js";

export const SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
export const ORIGIN = "https://app.example.com";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    JWT_SECRET: SECRET,
    CORS_ORIGINS: ORIGIN,
    DATABASE_URL: "sqlite::memory:",
    LOG_LEVEL: "error",
    ...overrides,
  });
}

/** A logger that writes nothing: tests that read logs pass their own. */
export const quiet = () => pino({ level: "silent" });

export interface TestApp {
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A migrated database in a temporary folder and an application over it. */
export interface TestAppOptions {
  env?: Record<string, string>;
  loggerInstance?: FastifyServerOptions["loggerInstance"];
  /** Extra routes, added before the application is ready (a failing one, say). */
  routes?: (app: FastifyInstance) => void;
}

export async function testApp({ env = {}, loggerInstance, routes }: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT_NAME}-test-`));
  const config = testConfig({ DATABASE_URL: `sqlite:${join(dir, "test.db")}`, LOG_LEVEL: "error", ...env });
  await migrateToLatest(config.database);
  const app = await buildApp({
    config,
    db: createDatabase(config.database),
    loggerInstance: loggerInstance ?? quiet(),
  });
  routes?.(app);
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Claims {
  sub?: string;
  roles?: unknown;
  iss?: string;
  aud?: string;
  /** Seconds from now; `null` leaves `exp` out. */
  expiresIn?: number | null;
  notBeforeIn?: number;
  secret?: string;
}

export async function token(claims: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ [ROLES_CLAIM]: claims.roles ?? [] })
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: "JWT" })
    .setSubject(claims.sub ?? "tester")
    .setIssuer(claims.iss ?? PROJECT_NAME)
    .setAudience(claims.aud ?? PROJECT_NAME)
    .setIssuedAt(now);
  if (claims.expiresIn !== null) {
    jwt.setExpirationTime(now + (claims.expiresIn ?? 300));
  }
  if (claims.notBeforeIn !== undefined) {
    jwt.setNotBefore(now + claims.notBeforeIn);
  }
  return jwt.sign(new TextEncoder().encode(claims.secret ?? SECRET));
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });
export const adminHeaders = async () => bearer(await token({ roles: [ADMIN_ROLE] }));
export const readerHeaders = async () => bearer(await token());
