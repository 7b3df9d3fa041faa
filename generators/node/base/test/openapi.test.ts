// The served OpenAPI document against the contract's, compared in backend-gen's normal form
// (ported from its `normal_form.rs`; `contract_openapi.normal.json` is that form of the contract).

import { readFileSync } from "node:fs";
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

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe("the OpenAPI document", () => {
  it("is the contract's, in backend-gen's normal form", async () => {
    const response = await t.app.inject({ url: OPENAPI_PATH });
    expect(response.statusCode).toBe(200);
    const served = response.json() as Json;
    expect(field(served, "openapi")).toBe("3.1.0");
    expect(field(field(served, "info"), "title")).toBe(PROJECT_TITLE);
    const contract = JSON.parse(
      readFileSync(new URL("./contract_openapi.normal.json", import.meta.url), "utf8"),
    ) as Json;
    expect(normalize(served)).toEqual(contract);
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
