import { Writable } from "node:stream";
import { SignJWT } from "jose";
import pino, { type Logger, stdTimeFunctions } from "pino";
import { afterEach, expect, it, vi } from "vitest";
import { ITEMS_PATH, PROJECT_NAME, REQUEST_ID_HEADER } from "../src/platform/contract.js";
import { ACCESS_MESSAGE, MAX_USER_AGENT_LENGTH } from "../src/platform/http.js";
import { authFailureReason, isoTime, loggerOptions } from "../src/platform/logging.js";
import { adminHeaders, bearer, readerHeaders, SECRET, testApp, token } from "./helpers.js";

/** A logger into `lines`, one parsed JSON object a line. */
function capture(): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: pino(loggerOptions("info"), sink) };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

it("writes pino's ISO time, formatted again each millisecond", () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
  expect(isoTime()).toBe(',"time":"2026-01-02T03:04:05.006Z"');
  expect(isoTime()).toBe(stdTimeFunctions.isoTime());
  vi.setSystemTime(Date.UTC(2026, 0, 2, 3, 4, 5, 7));
  const formatted = vi.spyOn(Date.prototype, "toISOString");
  expect(isoTime()).toBe(',"time":"2026-01-02T03:04:05.007Z"');
  expect(isoTime()).toBe(',"time":"2026-01-02T03:04:05.007Z"');
  expect(formatted).toHaveBeenCalledTimes(1);
});

it("writes one JSON line per request, without tokens or the secret", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString("utf8")
          .split("\n")
          .filter((l) => l !== ""),
      );
      done();
    },
  });
  const t = await testApp({ loggerInstance: pino(loggerOptions("info"), sink) });
  try {
    const headers = await readerHeaders();
    await t.app.inject({
      url: `${ITEMS_PATH}?access_token=${headers.authorization}`,
      headers: { ...headers, [REQUEST_ID_HEADER]: "log-probe-1" },
    });
    t.app.log.info({ authorization: headers.authorization, jwtSecret: SECRET }, "a careless line");
  } finally {
    await t.close();
  }
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const line = parsed.find((l) => l.request_id === "log-probe-1");
  expect(line).toMatchObject({
    level: "info",
    method: "GET",
    path: ITEMS_PATH,
    route: ITEMS_PATH,
    status: 200,
    client: "127.0.0.1",
    user_agent: "lightMyRequest",
  });
  expect(typeof line?.time).toBe("string");
  expect(typeof line?.duration_ms).toBe("number");
  const text = lines.join("\n");
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("Bearer ");
});

it("logs a database error by its code, never the values it quotes", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const t = await testApp({
    loggerInstance: pino(loggerOptions("info"), sink),
    routes(app) {
      app.get("/api/v1/database-error", async () => {
        const error = new Error('invalid input syntax for type integer: "value-from-the-request"');
        throw Object.assign(error, { code: "22P02", severity: "ERROR", detail: "value-from-the-request" });
      });
    },
  });
  try {
    expect((await t.app.inject({ url: "/api/v1/database-error" })).statusCode).toBe(500);
  } finally {
    await t.close();
  }
  const text = lines.join("");
  expect(text).toContain("22P02");
  expect(text).not.toContain("value-from-the-request");
});

it("writes the access line of a 5xx at error level, and of a URL no route could read", async () => {
  const { lines, logger } = capture();
  const t = await testApp({
    loggerInstance: logger,
    routes(app) {
      app.get("/api/v1/failing", async () => {
        throw new Error("a bug");
      });
    },
  });
  try {
    expect((await t.app.inject({ url: "/api/v1/failing" })).statusCode).toBe(500);
    expect((await t.app.inject({ url: "/%zz", headers: { [REQUEST_ID_HEADER]: "bad-url-1" } })).statusCode).toBe(400);
  } finally {
    await t.close();
  }
  const access = lines.filter((l) => l.message === ACCESS_MESSAGE);
  expect(access).toHaveLength(2);
  const [failed, badUrl] = access;
  expect(failed).toMatchObject({ level: "error", path: "/api/v1/failing", route: "/api/v1/failing", status: 500 });
  expect(typeof failed?.request_id).toBe("string");
  expect(badUrl).toMatchObject({ level: "info", path: "/%zz", status: 400, request_id: "bad-url-1" });
});

it("names the route template, not the path with its ids, and cuts long user agents", async () => {
  const { lines, logger } = capture();
  const t = await testApp({ loggerInstance: logger });
  let path = "";
  try {
    const created = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers: await adminHeaders(),
      payload: { name: "n", price_cents: 1 },
    });
    path = String(created.headers.location);
    const agent = `probe/1.0 ${"x".repeat(600)}`;
    for (const method of ["GET", "HEAD"] as const) {
      const response = await t.app.inject({
        method,
        url: path,
        headers: { ...(await readerHeaders()), "user-agent": agent },
        remoteAddress: "2001:db8::7",
      });
      expect(response.statusCode).toBe(200);
    }
    expect((await t.app.inject({ url: "/no/such/route" })).statusCode).toBe(404);
    const access = lines.filter((l) => l.message === ACCESS_MESSAGE && l.method !== "POST");
    expect(access).toHaveLength(3);
    const [got, head, missing] = access;
    for (const line of [got, head]) {
      expect(line).toMatchObject({
        path,
        route: `${ITEMS_PATH}/{id}`,
        client: "2001:db8::7",
        user_agent: agent.slice(0, MAX_USER_AGENT_LENGTH),
      });
    }
    expect(head?.method).toBe("HEAD");
    expect(missing).toMatchObject({ path: "/no/such/route", route: null, status: 404 });
  } finally {
    await t.close();
  }
});

it.each([
  ["expired", async () => token({ expiresIn: -60 })],
  ["not yet valid", async () => token({ notBeforeIn: 600 })],
  ["wrong audience", async () => token({ aud: "someone-else" })],
  ["wrong issuer", async () => token({ iss: "someone-else" })],
  ["missing claim", async () => token({ expiresIn: null })],
  ["bad signature", async () => token({ secret: "another-secret-that-is-long-enough-0123456789" })],
  [
    "algorithm not allowed",
    async () =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS512" })
        .setIssuer(PROJECT_NAME)
        .setAudience(PROJECT_NAME)
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(SECRET)),
  ],
  ["malformed", async () => "not.a.jwt"],
])("logs an authentication failure by its reason (%s), without the token", async (reason, make) => {
  const { lines, logger } = capture();
  const t = await testApp({ loggerInstance: logger });
  const jwt = await make();
  try {
    expect((await t.app.inject({ url: ITEMS_PATH, headers: bearer(jwt) })).statusCode).toBe(401);
  } finally {
    await t.close();
  }
  const failures = lines.filter((l) => l.message === "authentication failed");
  expect(failures).toEqual([expect.objectContaining({ level: "warn", reason })]);
  expect(JSON.stringify(lines)).not.toContain(jwt);
});

it("logs a missing token at info level, a malformed one at warn", async () => {
  const { lines, logger } = capture();
  const t = await testApp({ loggerInstance: logger });
  try {
    for (const authorization of [undefined, "Basic abc", "Bearer not a token"]) {
      const headers = authorization === undefined ? {} : { authorization };
      expect((await t.app.inject({ url: ITEMS_PATH, headers })).statusCode).toBe(401);
    }
  } finally {
    await t.close();
  }
  const failures = lines.filter((l) => l.message === "authentication failed").map((l) => [l.level, l.reason]);
  expect(failures).toEqual([
    ["info", "missing"],
    ["info", "missing"],
    ["warn", "malformed"],
  ]);
});

it("names an unknown failure generically", () => {
  expect(authFailureReason(new Error("something new"))).toBe("invalid");
});
