import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ITEM_NAME_MAX,
  ITEM_PRICE_MAX,
  ITEMS_PATH,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
} from "../src/platform/contract.js";
import { adminHeaders, readerHeaders, type TestApp, testApp } from "./helpers.js";

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

async function create(body: Record<string, unknown>) {
  return t.app.inject({ method: "POST", url: ITEMS_PATH, headers: await adminHeaders(), payload: body });
}

describe("items", () => {
  it("creates an item with a trimmed name, a Location and equal timestamps", async () => {
    const response = await create({ name: "  Widget  ", description: null, price_cents: 1999 });
    expect(response.statusCode).toBe(201);
    const item = response.json();
    expect(response.headers.location).toBe(`${ITEMS_PATH}/${item.id}`);
    expect(item).toMatchObject({ name: "Widget", description: null, price_cents: 1999 });
    expect(item.created_at).toBe(item.updated_at);
    expect(new Date(item.created_at).toISOString()).toBe(item.created_at);
  });

  it("reads, lists, pages, replaces and deletes", async () => {
    const first = (await create({ name: "one", price_cents: 1 })).json();
    await create({ name: "two", description: "second", price_cents: 2 });
    const headers = await readerHeaders();

    const read = await t.app.inject({ url: `${ITEMS_PATH}/${first.id}`, headers });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first);

    const list = await t.app.inject({ url: ITEMS_PATH, headers });
    expect(list.json()).toMatchObject({ total: 2, limit: PAGE_LIMIT_DEFAULT, offset: 0 });
    expect(list.json().items).toHaveLength(2);

    const page = await t.app.inject({ url: `${ITEMS_PATH}?limit=1&offset=1`, headers });
    expect(page.json()).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ name: "two" }] });

    const put = await t.app.inject({
      method: "PUT",
      url: `${ITEMS_PATH}/${first.id}`,
      headers: await adminHeaders(),
      payload: { name: "after", description: "changed", price_cents: 5 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: first.id, name: "after", created_at: first.created_at });

    const del = await t.app.inject({
      method: "DELETE",
      url: `${ITEMS_PATH}/${first.id}`,
      headers: await adminHeaders(),
    });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe("");
    expect((await t.app.inject({ url: `${ITEMS_PATH}/${first.id}`, headers })).statusCode).toBe(404);
  });

  it("never reuses an id after a delete", async () => {
    const first = (await create({ name: "first", price_cents: 1 })).json();
    await t.app.inject({ method: "DELETE", url: `${ITEMS_PATH}/${first.id}`, headers: await adminHeaders() });
    const second = (await create({ name: "second", price_cents: 1 })).json();
    expect(second.id).toBeGreaterThan(first.id);
  });

  it.each([
    ["GET", undefined],
    ["PUT", { name: "ghost", price_cents: 1 }],
    ["DELETE", undefined],
  ] as const)("answers 404 for a missing id on %s", async (method, payload) => {
    const response = await t.app.inject({
      method,
      url: `${ITEMS_PATH}/987654321`,
      headers: await adminHeaders(),
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("answers 404, not 500, for an id beyond the column's range", async () => {
    const response = await t.app.inject({ url: `${ITEMS_PATH}/99999999999`, headers: await readerHeaders() });
    expect(response.statusCode).toBe(404);
  });

  it("accepts the boundaries", async () => {
    const response = await create({
      name: "n".repeat(ITEM_NAME_MAX),
      description: "d".repeat(1000),
      price_cents: ITEM_PRICE_MAX,
    });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    [{ price_cents: 1 }, "name"],
    [{ name: "x" }, "price_cents"],
    [{ name: "x", price_cents: 1, colour: "red" }, "colour"],
    [{ name: "", price_cents: 1 }, "name"],
    [{ name: "   \t ", price_cents: 1 }, "name"],
    [{ name: "n".repeat(ITEM_NAME_MAX + 1), price_cents: 1 }, "name"],
    [{ name: "x", description: "d".repeat(1001), price_cents: 1 }, "description"],
    [{ name: "x", price_cents: -1 }, "price_cents"],
    [{ name: "x", price_cents: ITEM_PRICE_MAX + 1 }, "price_cents"],
    [{ name: "x", price_cents: 12.5 }, "price_cents"],
    [{ name: "x", price_cents: "12" }, "price_cents"],
    [{ name: "a\u0000b", price_cents: 1 }, "name"],
    [{ name: "x", description: "\u0000", price_cents: 1 }, "description"],
  ])("refuses %j naming %s", async (body, field) => {
    const response = await create(body);
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.errors).toContainEqual({ field, message: expect.any(String) });
  });

  it.each([
    ["limit=0", "limit"],
    [`limit=${PAGE_LIMIT_MAX + 1}`, "limit"],
    ["offset=-1", "offset"],
  ])("refuses the query %s", async (query, field) => {
    const response = await t.app.inject({ url: `${ITEMS_PATH}?${query}`, headers: await readerHeaders() });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe(field);
  });

  it("refuses an id that is not an integer with 422", async () => {
    const response = await t.app.inject({ url: `${ITEMS_PATH}/abc`, headers: await readerHeaders() });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe("id");
  });
});
