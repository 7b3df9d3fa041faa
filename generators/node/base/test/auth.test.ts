import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BEARER_CHALLENGE, INVALID_BEARER_CHALLENGE, ITEMS_PATH, PROJECT_NAME } from "../src/platform/contract.js";
import { bearer, readerHeaders, type TestApp, testApp, token } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const unsigned = (payload: object) =>
  `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;

async function expectUnauthorized(headers: Record<string, string>, challenge: string, url = ITEMS_PATH) {
  const response = await t.app.inject({ url, headers });
  expect(response.statusCode).toBe(401);
  expect(response.headers["www-authenticate"]).toBe(challenge);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
}

describe("authentication", () => {
  it("lets a valid token read", async () => {
    expect((await t.app.inject({ url: ITEMS_PATH, headers: await readerHeaders() })).statusCode).toBe(200);
  });

  it.each([
    ["no token", async () => ({})],
    ["another scheme", async () => ({ authorization: "Basic YWRtaW46YWRtaW4=" })],
    ["the scheme alone", async () => ({ authorization: "Bearer" })],
    ["the scheme and a tab", async () => ({ authorization: "Bearer \t" })],
  ])("refuses %s with 401 and a challenge without error code", async (_, headers) => {
    await expectUnauthorized(await headers(), BEARER_CHALLENGE);
  });

  it.each([
    ["a malformed token", async () => bearer("not-a-jwt")],
    ["a value that is no token", async () => ({ authorization: "Bearer not a token" })],
    // Only spaces part the scheme from the token (RFC 6750's `1*SP`): these tokens are malformed.
    ["a tab before the token", async () => ({ authorization: `Bearer \t${await token({})}` })],
    ["a no-break space before the token", async () => ({ authorization: `Bearer \u00a0${await token({})}` })],
    ["a no-break space alone", async () => ({ authorization: "Bearer \u00a0" })],
    ["an expired token", async () => bearer(await token({ expiresIn: -60 }))],
    ["a token not valid yet", async () => bearer(await token({ notBeforeIn: 600 }))],
    ["another key", async () => bearer(await token({ secret: "another-secret-that-is-long-enough-0123456789" }))],
    ["another issuer", async () => bearer(await token({ iss: "someone-else" }))],
    ["another audience", async () => bearer(await token({ aud: "someone-else" }))],
    ["no exp", async () => bearer(await token({ expiresIn: null }))],
    [
      "alg none",
      async () =>
        bearer(unsigned({ sub: "x", iss: PROJECT_NAME, aud: PROJECT_NAME, exp: 9999999999, roles: ["admin"] })),
    ],
  ])("refuses %s with 401 and error=invalid_token", async (_, headers) => {
    await expectUnauthorized(await headers(), INVALID_BEARER_CHALLENGE);
  });

  it("takes one or more spaces after the scheme, in any case (RFC 6750: 1*SP; RFC 9110)", async () => {
    const jwt = await token({});
    for (const authorization of [`Bearer  ${jwt}`, `bearer ${jwt}`, `BEARER ${jwt}`]) {
      expect((await t.app.inject({ url: ITEMS_PATH, headers: { authorization } })).statusCode).toBe(200);
    }
  });

  it("reads a token followed by whitespace, which is not part of the value (RFC 9110, section 5.5)", async () => {
    const jwt = await token({});
    for (const authorization of [`Bearer ${jwt} `, `Bearer ${jwt}\t`]) {
      expect((await t.app.inject({ url: ITEMS_PATH, headers: { authorization } })).statusCode).toBe(200);
    }
  });

  it("never reads a token from the query string", async () => {
    const jwt = await token({ roles: ["admin"] });
    for (const parameter of ["access_token", "token", "jwt"]) {
      await expectUnauthorized({}, BEARER_CHALLENGE, `${ITEMS_PATH}?${parameter}=${jwt}`);
    }
  });

  it("checks authentication before the body", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers: { "content-type": "text/plain" },
      payload: "name=x",
    });
    expect(response.statusCode).toBe(401);
  });

  it("answers 403 to a valid token without the role", async () => {
    const headers = await readerHeaders();
    const post = await t.app.inject({
      method: "POST",
      url: ITEMS_PATH,
      headers,
      payload: { name: "x", price_cents: 1 },
    });
    expect(post.statusCode).toBe(403);
    const del = await t.app.inject({ method: "DELETE", url: `${ITEMS_PATH}/1`, headers });
    expect(del.statusCode).toBe(403);
  });
});
