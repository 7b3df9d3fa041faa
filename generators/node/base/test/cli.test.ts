import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { authenticator } from "../src/platform/auth.js";
import { PROJECT_NAME } from "../src/platform/contract.js";
import { ENV_EXISTS } from "../src/platform/dotenv.js";
import { SECRET, testConfig } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "..");

/** Runs a TypeScript entry point as `npm run` would, in a folder with these files (its own `.env`). */
function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = { ".env": `JWT_SECRET=${SECRET}\n` },
) {
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT_NAME}-cli-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // tsx's loader in the Node process that runs the script, by path (the folder has no
  // node_modules): `npm run`'s `tsx script` starts a second Node process for the same loader,
  // which made each case cost half as much again.
  const tsx = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const result = spawnSync(process.execPath, ["--import", tsx, join(ROOT, "src", script), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
}

// Each case starts Node with tsx (a third of a second, more on a busy machine).
describe("command line", { timeout: 30_000 }, () => {
  it("token --help prints the usage", () => {
    const result = run("token.ts", ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: npm run token");
    expect(result.stdout).toContain("--ttl");
  });

  it("token refuses an unknown option with the usage, not a stack trace", () => {
    const result = run("token.ts", ["--rol", "admin"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage: npm run token");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("token prints a token the service accepts", async () => {
    const result = run("token.ts", ["--sub", "dev", "--roles", "admin", "--ttl", "1h"]);
    expect(result.status).toBe(0);
    const principal = await authenticator(testConfig())(`Bearer ${result.stdout.trim()}`);
    expect(principal).toEqual({ subject: "dev", roles: ["admin"] });
  });

  it("init-env writes .env without any configuration, owner-only", () => {
    const result = run("init-env.ts", [], {}, { ".env.example": "JWT_SECRET=placeholder\nPORT=1\n" });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("wrote .env (mode 0600) from .env.example with fresh values for JWT_SECRET\n");
    expect(readFileSync(join(result.dir, ".env"), "utf8")).toMatch(/^JWT_SECRET=[0-9a-f]{64}\nPORT=1\n$/);
    expect(statSync(join(result.dir, ".env")).mode & 0o777).toBe(0o600);
  });

  it("init-env refuses an existing .env in one line, with exit status 2", () => {
    const result = run("init-env.ts", [], {}, { ".env.example": "JWT_SECRET=x\n", ".env": "JWT_SECRET=mine\n" });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${PROJECT_NAME}: ${ENV_EXISTS}\n`);
    expect(readFileSync(join(result.dir, ".env"), "utf8")).toBe("JWT_SECRET=mine\n");
    expect(run("init-env.ts", [], {}, {}).stderr).toMatch(/^[^\n]*no \.env\.example[^\n]*\n$/);
    expect(run("init-env.ts", ["--help"]).stdout).toContain("Usage: npm run init-env");
    expect(run("init-env.ts", ["--force"]).status).toBe(2);
  });

  it("main --help prints the usage and starts nothing", () => {
    // With a port that cannot be bound: were it to start, it would fail rather than print usage.
    const result = run("main.ts", ["--help"], { PORT: "1" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: node dist/main.js");
    expect(run("main.ts", ["--no-such-flag"]).status).toBe(2);
  });
});
