// The served OpenAPI document against the contract's, compared in backend-gen's normal form
// (ported from its `normal_form.rs`; `contract_openapi.normal.json` is that form of the contract).

import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_PATH, PROJECT_TITLE } from "../src/platform/contract.js";
import { type TestApp, testApp } from "./helpers.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);
const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const entries = (value: Json | undefined): [string, Json][] => (isObject(value) ? Object.entries(value) : []);
const field = (value: Json | undefined, key: string): Json | undefined => (isObject(value) ? value[key] : undefined);

function pointer(doc: Json, path: string): Json {
  let current: Json | undefined = doc;
  for (const part of path.split("/").slice(1)) {
    current = field(current, part.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  return current ?? null;
}

function shape(schema: Json | undefined, doc: Json, depth: number): Json {
  if (depth > 16) return "recursive";
  const reference = field(schema, "$ref");
  if (typeof reference === "string") {
    return shape(reference.startsWith("#") ? pointer(doc, reference.slice(1)) : null, doc, depth + 1);
  }
  for (const union of ["anyOf", "oneOf", "allOf"]) {
    const branches = field(schema, union);
    if (Array.isArray(branches)) {
      const shaped = branches.filter((b) => field(b, "type") !== "null").map((b) => shape(b, doc, depth + 1));
      return shaped.length === 1 ? (shaped[0] ?? null) : { [union]: shaped };
    }
  }
  const properties = field(schema, "properties");
  if (isObject(properties)) {
    const fields: JsonObject = {};
    for (const [name, s] of Object.entries(properties)) fields[name] = shape(s, doc, depth + 1);
    const required = field(schema, "required");
    const names = Array.isArray(required) ? required.filter((r): r is string => typeof r === "string").sort() : [];
    return { fields, required: names };
  }
  const type = field(schema, "type");
  if (type === "array") return { array: shape(field(schema, "items"), doc, depth + 1) };
  if (type === "object") return "map";
  return typeof type === "string" ? type : "any";
}

function contentShapes(content: Json | undefined, doc: Json): JsonObject {
  const out: JsonObject = {};
  for (const [media, body] of entries(content)) out[media] = shape(field(body, "schema"), doc, 0);
  return out;
}

function normalize(doc: Json): JsonObject {
  const operations: JsonObject = {};
  for (const [path, item] of entries(field(doc, "paths"))) {
    for (const [method, op] of entries(item)) {
      if (!METHODS.has(method)) continue;
      const parameters = (() => {
        const list = field(op, "parameters");
        return (Array.isArray(list) ? list : [])
          .map((p) => (field(p, "in") === "path" ? "path" : `${field(p, "in") ?? "?"}:${field(p, "name") ?? "?"}`))
          .sort();
      })();
      const responses: JsonObject = {};
      for (const [status, answer] of entries(field(op, "responses"))) {
        responses[status] = contentShapes(field(answer, "content"), doc);
      }
      const security = field(op, "security");
      const key = `${method.toUpperCase()} ${path
        .split("/")
        .map((s) => (s.startsWith("{") && s.endsWith("}") ? "{}" : s))
        .join("/")}`;
      operations[key] = {
        secured: Array.isArray(security) && security.length > 0,
        parameters,
        request: contentShapes(field(field(op, "requestBody"), "content"), doc),
        responses,
      };
    }
  }
  const schemes = entries(field(field(doc, "components"), "securitySchemes")).map(
    ([, s]) => `${field(s, "type") ?? "?"} ${String(field(s, "scheme") ?? "?").toLowerCase()}`,
  );
  return { security_schemes: schemes, operations };
}

/**
 * What the served document (normalised) lacks or changes of the contract's: the contract is a floor,
 * so operations and schemes a team adds are fine, and every contract operation must be served as is.
 */
function floorDifferences(served: JsonObject, contract: Json): string[] {
  const problems: string[] = [];
  const schemes = field(served, "security_schemes");
  for (const scheme of (field(contract, "security_schemes") as Json[] | undefined) ?? []) {
    if (!Array.isArray(schemes) || !schemes.includes(scheme)) problems.push(`security scheme ${String(scheme)}`);
  }
  const operations = field(served, "operations");
  for (const [key, operation] of entries(field(contract, "operations"))) {
    const mine = field(operations, key);
    if (mine === undefined) problems.push(`${key}: missing`);
    else if (!isDeepStrictEqual(mine, operation)) problems.push(`${key}: differs`);
  }
  return problems;
}

/** `test/contract_openapi.normal.json`: the generator's contract in normal form; never edited by hand. */
const contract = (): Json =>
  JSON.parse(readFileSync(new URL("./contract_openapi.normal.json", import.meta.url), "utf8")) as Json;

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe("the OpenAPI document", () => {
  it("holds the contract, in backend-gen's normal form", async () => {
    const response = await t.app.inject({ url: OPENAPI_PATH });
    expect(response.statusCode).toBe(200);
    const served = response.json() as Json;
    expect(field(served, "openapi")).toBe("3.1.0");
    expect(field(field(served, "info"), "title")).toBe(PROJECT_TITLE);
    expect(floorDifferences(normalize(served), contract())).toEqual([]);
  });

  it("treats the contract as a floor: a route of the team's own keeps it green", async () => {
    const extra = await testApp({
      routes: (app) => {
        app.get("/api/v1/extras", { schema: { operationId: "listExtras" } }, async () => []);
      },
    });
    try {
      const served = (await extra.app.inject({ url: OPENAPI_PATH })).json() as Json;
      expect(Object.keys(field(served, "paths") as JsonObject)).toContain("/api/v1/extras");
      expect(floorDifferences(normalize(served), contract())).toEqual([]);
    } finally {
      await extra.close();
    }
  });

  it("sees a contract operation changed or missing", async () => {
    const served = normalize((await t.app.inject({ url: OPENAPI_PATH })).json() as Json);
    const operations = field(served, "operations") as JsonObject;
    delete (field(operations["POST /api/v1/items"], "responses") as JsonObject)["201"];
    expect(floorDifferences(served, contract())).toEqual(["POST /api/v1/items: differs"]);
    delete operations["DELETE /api/v1/items/{}"];
    expect(floorDifferences(served, contract())).toEqual([
      "DELETE /api/v1/items/{}: missing",
      "POST /api/v1/items: differs",
    ]);
  });

  it("names every operation and writes integer bounds as integers", async () => {
    const served = (await t.app.inject({ url: OPENAPI_PATH })).json() as Json;
    const ids = entries(field(served, "paths")).flatMap(([, item]) =>
      entries(item).map(([, op]) => field(op, "operationId")),
    );
    expect(ids).toEqual(expect.arrayContaining(["listItems", "createItem", "getItem", "replaceItem", "deleteItem"]));
    expect(JSON.stringify(served)).not.toMatch(/"(minimum|maximum)":\d+\.\d/);
  });
});
