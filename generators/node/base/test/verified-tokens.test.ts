import type { FastifyBaseLogger } from "fastify";
import * as jose from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authenticator } from "../src/platform/auth.js";
import { bearer, testConfig, token } from "./helpers.js";

// Every call still verifies for real; the count says when the table was used instead.
vi.mock("jose", async (original) => {
  const real = await original<typeof import("jose")>();
  return { ...real, jwtVerify: vi.fn(real.jwtVerify) };
});
const verifications = vi.mocked(jose.jwtVerify);

const authorization = async (claims: Parameters<typeof token>[0] = {}) => bearer(await token(claims)).authorization;

describe("the table of verified tokens", () => {
  beforeEach(() => {
    verifications.mockClear();
  });

  it("verifies a token once, then again only when its exp has passed", async () => {
    let nowMs = Date.now();
    const verify = authenticator(testConfig(), { now: () => nowMs });
    const header = await authorization({ roles: ["reader"], expiresIn: 60 });

    const first = await verify(header);
    expect(first).toEqual({ subject: "tester", roles: ["reader"] });
    expect(await verify(header)).toBe(first);
    expect(verifications).toHaveBeenCalledTimes(1);

    nowMs += 61_000; // past `exp`: jose would refuse it, so it is verified again
    await verify(header);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it("verifies and logs a refused token every time", async () => {
    const warnings: unknown[] = [];
    const log = { warn: (fields: unknown) => warnings.push(fields), info: () => {} } as unknown as FastifyBaseLogger;
    const verify = authenticator(testConfig());
    const forged = await authorization({ secret: "another-secret-that-is-long-enough-0123456789" });
    for (let i = 0; i < 2; i++) {
      await expect(verify(forged, log)).rejects.toMatchObject({ status: 401 });
    }
    expect(verifications).toHaveBeenCalledTimes(2);
    expect(warnings).toHaveLength(2);
  });

  it("belongs to one secret", async () => {
    const header = await authorization();
    await verifyOk(authenticator(testConfig()), header);
    const other = authenticator(testConfig({ JWT_SECRET: "another-secret-that-is-long-enough-0123456789" }));
    await expect(other(header)).rejects.toMatchObject({ status: 401 });
  });

  it("is bounded", async () => {
    const verify = authenticator(testConfig(), { maxEntries: 2 });
    const headers = await Promise.all(["a", "b", "c"].map((sub) => authorization({ sub })));
    for (const header of headers) await verifyOk(verify, header);
    await verifyOk(verify, headers[0] ?? "");
    // a and b filled it, c started it again: a is verified a second time
    expect(verifications).toHaveBeenCalledTimes(4);
  });
});

async function verifyOk(verify: ReturnType<typeof authenticator>, header: string) {
  expect((await verify(header)).subject).toBeTypeOf("string");
}
