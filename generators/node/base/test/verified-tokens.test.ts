import type { FastifyBaseLogger } from "fastify";
import { describe, expect, it } from "vitest";
import { authenticator } from "../src/platform/auth.js";
import { bearer, testConfig, token } from "./helpers.js";

// Every call verifies for real. A token served from the table answers the very principal object it
// was first verified to; a token verified again answers a new one.
const authorization = async (claims: Parameters<typeof token>[0] = {}) => bearer(await token(claims)).authorization;

describe("the table of verified tokens", () => {
  it("verifies a token once, then again only when its exp has passed", async () => {
    let nowMs = Date.now();
    const verify = authenticator(testConfig(), { now: () => nowMs });
    const header = await authorization({ roles: ["reader"], expiresIn: 60 });

    const first = await verify(header);
    expect(first).toEqual({ subject: "tester", roles: ["reader"] });
    expect(await verify(header)).toBe(first);

    nowMs += 61_000; // past `exp` by the table's clock: verified again
    const again = await verify(header);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it("verifies and logs a refused token every time", async () => {
    const warnings: unknown[] = [];
    const log = { warn: (fields: unknown) => warnings.push(fields), info: () => {} } as unknown as FastifyBaseLogger;
    const verify = authenticator(testConfig());
    const forged = await authorization({ secret: "another-secret-that-is-long-enough-0123456789" });
    for (let i = 0; i < 2; i++) {
      await expect(verify(forged, log)).rejects.toMatchObject({ status: 401 });
    }
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
    const [a = "", b = "", c = ""] = await Promise.all(["a", "b", "c"].map((sub) => authorization({ sub })));
    const first = await verify(a);
    await verifyOk(verify, b);
    expect(await verify(a)).toBe(first);
    // a and b filled it, c started it again: a is verified a second time
    await verifyOk(verify, c);
    expect(await verify(a)).not.toBe(first);
  });
});

async function verifyOk(verify: ReturnType<typeof authenticator>, header: string) {
  expect((await verify(header)).subject).toBeTypeOf("string");
}
