import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, environment, loadConfig } from "../src/platform/config.js";
import { PLACEHOLDER_JWT_SECRET } from "../src/platform/contract.js";
import { SECRET } from "./helpers.js";

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("has the contract's defaults", () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      rateLimitPerMinute: 120,
      maxBodyBytes: 1048576,
      logLevel: "info",
    });
    expect(config.database).toEqual({ kind: "sqlite", path: "./data/app.db" });
    expect(config.corsOrigins).toEqual([]);
  });

  it.each([
    [{}, "JWT_SECRET"],
    [{ JWT_SECRET: "too-short" }, "JWT_SECRET"],
    [{ JWT_SECRET: PLACEHOLDER_JWT_SECRET }, "JWT_SECRET"],
    [{ JWT_SECRET: SECRET, LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ JWT_SECRET: SECRET, PORT: "http" }, "PORT"],
    [{ JWT_SECRET: SECRET, DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ JWT_SECRET: SECRET, DATABASE_URL: "postgresql://u:p@h/db?sslmode=prefer" }, "DATABASE_URL"],
    [{ JWT_SECRET: SECRET, DATABASE_URL: "postgresql://u:p@h/db?target_session_attrs=any" }, "DATABASE_URL"],
  ])("refuses %j naming %s, never the value", (env, variable) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${variable}: `));
    for (const value of Object.values(env)) {
      if (value.length >= 8) expect(found[0]).not.toContain(value);
    }
  });

  it("names the command that writes .env when JWT_SECRET is missing", () => {
    expect(problems({})[0]).toContain("`npm run init-env` writes .env");
  });

  it("lists every problem at once", () => {
    expect(problems({ JWT_SECRET: "x", LOG_LEVEL: "loud" })).toHaveLength(2);
  });

  it("accepts warning as warn and splits CORS_ORIGINS", () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      LOG_LEVEL: "WARNING",
      CORS_ORIGINS: " https://a.example , https://b.example,",
    });
    expect(config.logLevel).toBe("warn");
    expect(config.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("translates a libpq URL for pg", () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      DATABASE_URL:
        "postgresql://app:p%40ss@db.example:6543/shop?sslmode=require&application_name=api&connect_timeout=5",
    });
    expect(config.database).toEqual({
      kind: "postgres",
      connection: {
        host: "db.example",
        port: 6543,
        user: "app",
        password: "p@ss",
        database: "shop",
        ssl: { rejectUnauthorized: false },
        application_name: "api",
        connectionTimeoutMillis: 5000,
      },
    });
  });

  it("reads .env with the real environment winning", () => {
    const dir = mkdtempSync(join(tmpdir(), "env-"));
    writeFileSync(join(dir, ".env"), "JWT_SECRET=from-file\nPORT=4000\n");
    const env = environment(dir, { PORT: "5000" });
    expect(env.JWT_SECRET).toBe("from-file");
    expect(env.PORT).toBe("5000");
    expect(environment(join(dir, "missing"), { PORT: "1" })).toEqual({ PORT: "1" });
  });
});
