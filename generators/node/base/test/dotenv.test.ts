import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_NAME, SECRET_VARIABLES } from "../src/platform/contract.js";
import { ENV_EXISTS, InitEnvRefusedError, initEnv } from "../src/platform/dotenv.js";

// The project's own `.env.example`, copied into an empty folder for each case.
const EXAMPLE = readFileSync(resolve(import.meta.dirname, "..", ".env.example"), "utf8");

function folder(files: Record<string, string> = { ".env.example": EXAMPLE }): string {
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT_NAME}-init-env-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function values(text: string): Map<string, string> {
  const pairs = text
    .split("\n")
    .filter((line) => !line.startsWith("#") && line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const);
  return new Map(pairs);
}

describe("init-env", () => {
  it("the example holds a placeholder for every secret", () => {
    expect(SECRET_VARIABLES).toContain("JWT_SECRET");
    for (const name of SECRET_VARIABLES) expect(values(EXAMPLE).get(name)).toBeTruthy();
  });

  it("writes fresh secrets, keeps every other line, owner-only", () => {
    const dir = folder({ ".env.example": `# a comment\n\n${EXAMPLE}` });
    const line = initEnv(dir);
    const before = readFileSync(join(dir, ".env.example"), "utf8").split("\n");
    const after = readFileSync(join(dir, ".env"), "utf8").split("\n");
    expect(after).toHaveLength(before.length);
    before.forEach((text, i) => {
      const name = text.split("=")[0] ?? "";
      if (SECRET_VARIABLES.includes(name)) expect(after[i]).toMatch(new RegExp(`^${name}=[0-9a-f]{64}$`));
      else expect(after[i]).toBe(text);
    });
    const fresh = SECRET_VARIABLES.map((name) => values(after.join("\n")).get(name));
    expect(new Set(fresh).size).toBe(SECRET_VARIABLES.length);
    for (const value of fresh) {
      expect([...values(EXAMPLE).values()]).not.toContain(value);
      expect(line).not.toContain(value);
    }
    // One line that names the variables, never their values.
    expect(line).not.toContain("\n");
    for (const name of SECRET_VARIABLES) expect(line).toContain(name);
    expect(lstatSync(join(dir, ".env")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([".env", ".env.example"]);
  });

  it("gives different secrets on every run", () => {
    const [first, second] = [folder(), folder()].map((dir) => {
      initEnv(dir);
      return values(readFileSync(join(dir, ".env"), "utf8"));
    });
    for (const name of SECRET_VARIABLES) expect(first?.get(name)).not.toBe(second?.get(name));
  });

  it("gives an exported secret a fresh value too", () => {
    const dir = folder({ ".env.example": "export JWT_SECRET=x\nPORT=1\n" });
    initEnv(dir);
    expect(readFileSync(join(dir, ".env"), "utf8")).toMatch(/^export JWT_SECRET=[0-9a-f]{64}\nPORT=1\n$/);
  });

  it("names no variable when the example has no secret", () => {
    const dir = folder({ ".env.example": "PORT=1\n" });
    expect(initEnv(dir)).toContain("no variable");
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("PORT=1\n");
  });

  it("refuses to overwrite a .env, even a dangling link", () => {
    const dir = folder({ ".env.example": EXAMPLE, ".env": "JWT_SECRET=mine\n" });
    expect(() => initEnv(dir)).toThrow(new InitEnvRefusedError(ENV_EXISTS));
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("JWT_SECRET=mine\n");
    expect(readdirSync(dir).sort()).toEqual([".env", ".env.example"]);
    const linked = folder();
    symlinkSync(join(linked, "nowhere"), join(linked, ".env"));
    expect(() => initEnv(linked)).toThrow(InitEnvRefusedError);
  });

  it("refuses a folder without .env.example", () => {
    const dir = folder({});
    expect(() => initEnv(dir)).toThrow(/no \.env\.example in .*: run init-env in the project folder/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("passes on errors other than a missing file", () => {
    // A file where the project folder should be: reading fails, but not with ENOENT.
    const dir = folder({});
    writeFileSync(join(dir, "x"), "");
    expect(() => initEnv(join(dir, "x"))).toThrow(/ENOTDIR/);
  });
});
