import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORS_EXPOSE_HEADERS,
  DOCS_PATH,
  HEALTH_LIVE_PATH,
  ITEMS_PATH,
  PROBLEM_MEDIA_TYPE,
  REQUEST_ID_HEADER,
  SECURITY_HEADERS,
} from "../src/platform/contract.js";
import { adminHeaders, ORIGIN, readerHeaders, type TestApp, testApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp({
    env: { MAX_BODY_BYTES: "4096", RATE_LIMIT_PER_MINUTE: "1000" },
    routes(app) {
      app.get("/api/v1/boom", async () => {
        throw new Error("database password is hunter2");
      });
      app.get("/api/v1/duplicate", async () => {
        throw Object.assign(new Error("UNIQUE constraint failed: items.name"), {
          code: "ERR_SQLITE_ERROR",
          errcode: 2067,
        });
      });
    },
  });
});
afterAll(async () => {
  await t.close();
});

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  path: string,
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(new RegExp(`^${PROBLEM_MEDIA_TYPE.replace("+", "\\+")}`));
  expect(response.json()).toMatchObject({
    type: "about:blank",
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: path,
  });
}

function expectSecurityHeaders(headers: Record<string, unknown>) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(headers[name.toLowerCase()], name).toBe(value);
  }
  expect(headers["x-powered-by"]).toBeUndefined();
  expect(headers.server).toBeUndefined();
}

describe("errors", () => {
  it("answers malformed JSON with 400", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers: { ...(await adminHeaders()), "content-type": "application/json" },
      payload: '{"name": ',
    });
    expectProblem(response, 400, ITEMS_PATH);
  });

  it("answers another media type with 415", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers: { ...(await adminHeaders()), "content-type": "text/plain" },
      payload: "name=x&price_cents=1",
    });
    expectProblem(response, 415, ITEMS_PATH);
  });

  it("answers a body over MAX_BODY_BYTES with 413", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers: await adminHeaders(),
      payload: { name: "x", description: "x".repeat(5000), price_cents: 1 },
    });
    expectProblem(response, 413, ITEMS_PATH);
  });

  it("answers an unknown route and a trailing slash with 404, never a redirect", async () => {
    expectProblem(await t.app.inject({ url: "/no/such/route" }), 404, "/no/such/route");
    expectProblem(await t.app.inject({ url: `${ITEMS_PATH}/`, headers: await readerHeaders() }), 404, `${ITEMS_PATH}/`);
  });

  it("answers a wrong method with 405 and Allow, HEAD beside GET", async () => {
    const response = await t.app.inject({
      method: "PATCH",
      url: ITEMS_PATH,
      headers: await adminHeaders(),
      payload: {},
    });
    expectProblem(response, 405, ITEMS_PATH);
    expect(String(response.headers.allow).split(", ")).toEqual(expect.arrayContaining(["GET", "HEAD", "POST"]));
    const item = await t.app.inject({ method: "POST", url: `${ITEMS_PATH}/1` });
    expect(String(item.headers.allow).split(", ")).toEqual(expect.arrayContaining(["GET", "HEAD", "PUT", "DELETE"]));
  });

  it("answers a URL that is not valid percent-encoding with a 400 problem and the usual headers", async () => {
    const response = await t.app.inject({ url: "/%zz" });
    expectProblem(response, 400, "/%zz");
    expectSecurityHeaders(response.headers);
    expect(response.headers["x-request-id"]).toBeDefined();
  });

  it("answers a unique-constraint violation with 409 and no SQL", async () => {
    const response = await t.app.inject({ url: "/api/v1/duplicate" });
    expectProblem(response, 409, "/api/v1/duplicate");
    expect(response.body).not.toContain("UNIQUE");
  });

  it("answers HEAD like GET without a body", async () => {
    const response = await t.app.inject({ method: "HEAD", url: HEALTH_LIVE_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe("");
    expectSecurityHeaders(response.headers);
  });

  it("answers an unexpected failure with 500 and no internals, with every header", async () => {
    const response = await t.app.inject({ url: "/api/v1/boom", headers: { origin: ORIGIN } });
    expectProblem(response, 500, "/api/v1/boom");
    expect(response.body).not.toContain("hunter2");
    expect(response.body).not.toContain("at ");
    expectSecurityHeaders(response.headers);
    expect(response.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(response.headers["ratelimit-limit"]).toBe("1000");
  });
});

describe("headers", () => {
  it.each([HEALTH_LIVE_PATH, "/no/such/route", ITEMS_PATH])("puts the security headers on %s", async (url) => {
    expectSecurityHeaders((await t.app.inject({ url, headers: await readerHeaders() })).headers);
  });

  it("echoes a safe request id and replaces an unsafe one", async () => {
    const echoed = await t.app.inject({ url: HEALTH_LIVE_PATH, headers: { [REQUEST_ID_HEADER]: "abc-1.2_3" } });
    expect(echoed.headers["x-request-id"]).toBe("abc-1.2_3");
    for (const unsafe of ["bad id", "<script>", "a".repeat(129)]) {
      const replaced = await t.app.inject({ url: HEALTH_LIVE_PATH, headers: { [REQUEST_ID_HEADER]: unsafe } });
      expect(replaced.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
      expect(replaced.headers["x-request-id"]).not.toBe(unsafe);
    }
  });

  it("relaxes the CSP of the docs page for Swagger UI only, served from the package's own files", async () => {
    const response = await t.app.inject({ url: DOCS_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.body.toLowerCase()).toContain("swagger");
    expect(response.body).not.toMatch(/https?:\/\//);
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self';/);
  });
});

describe("CORS", () => {
  it("allows the listed origin, also on errors", async () => {
    const ok = await t.app.inject({ url: ITEMS_PATH, headers: { ...(await readerHeaders()), origin: ORIGIN } });
    expect(ok.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(ok.headers.vary).toContain("Origin");
    expect(ok.headers["access-control-expose-headers"]).toBe(CORS_EXPOSE_HEADERS.join(", "));
    const error = await t.app.inject({ url: ITEMS_PATH, headers: { origin: ORIGIN } });
    expect(error.statusCode).toBe(401);
    expect(error.headers["access-control-allow-origin"]).toBe(ORIGIN);
  });

  it("answers the listed origin's preflight", async () => {
    const response = await t.app.inject({
      method: "OPTIONS",
      url: ITEMS_PATH,
      headers: { origin: ORIGIN, "access-control-request-method": "POST" },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(response.headers["access-control-allow-methods"]).toContain("POST");
  });

  it("gives any other origin no CORS header", async () => {
    const evil = "https://evil.example";
    const simple = await t.app.inject({ url: ITEMS_PATH, headers: { ...(await readerHeaders()), origin: evil } });
    const preflight = await t.app.inject({
      method: "OPTIONS",
      url: ITEMS_PATH,
      headers: { origin: evil, "access-control-request-method": "DELETE" },
    });
    for (const response of [simple, preflight]) {
      expect(Object.keys(response.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
  });
});

describe("rate limit", () => {
  it("counts per client address and answers 429 with Retry-After", async () => {
    const limited = await testApp({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
    try {
      const headers = await readerHeaders();
      for (let i = 0; i < 3; i++) {
        const response = await limited.app.inject({ url: ITEMS_PATH, headers, remoteAddress: "10.0.0.1" });
        expect(response.statusCode).toBe(200);
        expect(response.headers["ratelimit-limit"]).toBe("3");
        expect(response.headers["ratelimit-remaining"]).toBe(String(2 - i));
      }
      const refused = await limited.app.inject({ url: ITEMS_PATH, headers, remoteAddress: "10.0.0.1" });
      expectProblem(refused, 429, ITEMS_PATH);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.headers["ratelimit-remaining"]).toBe("0");
      const other = await limited.app.inject({ url: ITEMS_PATH, headers, remoteAddress: "10.0.0.2" });
      expect(other.statusCode).toBe(200);
      const health = await limited.app.inject({ url: HEALTH_LIVE_PATH, remoteAddress: "10.0.0.1" });
      expect(health.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("gives one IPv6 /64 one bucket", async () => {
    const limited = await testApp({ env: { RATE_LIMIT_PER_MINUTE: "2" } });
    try {
      const headers = await readerHeaders();
      const remaining = async (remoteAddress: string) =>
        (await limited.app.inject({ url: ITEMS_PATH, headers, remoteAddress })).headers["ratelimit-remaining"];
      // Rotating the interface id inside one /64 gives no fresh bucket; another /64 has its own.
      expect(await remaining("2001:db8:0:1::1")).toBe("1");
      expect(await remaining("2001:db8:0:1::2")).toBe("0");
      expect(await remaining("2001:db8:0:2::1")).toBe("1");
    } finally {
      await limited.close();
    }
  });

  it("puts the RateLimit headers on a 413 answered from Content-Length", async () => {
    const limited = await testApp({ env: { RATE_LIMIT_PER_MINUTE: "5", MAX_BODY_BYTES: "10" } });
    try {
      const response = await limited.app.inject({
        method: "POST",
        url: ITEMS_PATH,
        headers: { ...(await adminHeaders()), "content-type": "application/json" },
        payload: "x".repeat(11),
      });
      expectProblem(response, 413, ITEMS_PATH);
      expect(response.headers["ratelimit-limit"]).toBe("5");
      expect(response.headers["ratelimit-remaining"]).toBe("4");
      expect(Number(response.headers["ratelimit-reset"])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
