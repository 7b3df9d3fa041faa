import { Writable } from "node:stream";
import pino from "pino";
import { expect, it } from "vitest";
import { ITEMS_PATH, REQUEST_ID_HEADER } from "../src/platform/contract.js";
import { loggerOptions } from "../src/platform/logging.js";
import { readerHeaders, SECRET, testApp } from "./helpers.js";

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
  expect(line).toMatchObject({ level: "info", method: "GET", path: ITEMS_PATH, status: 200 });
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
