// The items resource: CRUD under /api/v1/items. Reading needs a valid token, writing the admin role.

import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../app.js";
import { requireRole, requireUser } from "../platform/auth.js";
import { ADMIN_ROLE, ITEMS_PATH } from "../platform/contract.js";
import { jsonAnswer, notFound, orNotFound, problemResponses } from "../platform/problems.js";
import { ItemIdSchema, ItemInSchema, ItemPageSchema, ItemSchema, PageQuerySchema } from "./schemas.js";

const SECURED = [{ bearerAuth: [] }];
const ITEM_NOT_FOUND = "No item has this id.";

export async function itemRoutes(app: FastifyInstance, { items, verify }: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const reader = [requireUser(verify)];
  const admin = [requireUser(verify), requireRole(ADMIN_ROLE)];

  api.get(
    ITEMS_PATH,
    {
      onRequest: reader,
      schema: {
        operationId: "listItems",
        tags: ["items"],
        security: SECURED,
        querystring: PageQuerySchema,
        response: { 200: jsonAnswer(ItemPageSchema), ...problemResponses(401, 422, 429, 500) },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await items.list(limit, offset);
      return { ...page, limit, offset };
    },
  );

  api.post(
    ITEMS_PATH,
    {
      onRequest: admin,
      schema: {
        operationId: "createItem",
        tags: ["items"],
        security: SECURED,
        body: ItemInSchema,
        response: { 201: jsonAnswer(ItemSchema), ...problemResponses(400, 401, 403, 413, 415, 422, 429, 500) },
      },
    },
    async (request, reply) => {
      const item = await items.create(request.body);
      return reply.code(201).header("Location", `${ITEMS_PATH}/${item.id}`).send(item);
    },
  );

  api.get(
    `${ITEMS_PATH}/:id`,
    {
      onRequest: reader,
      schema: {
        operationId: "getItem",
        tags: ["items"],
        security: SECURED,
        params: ItemIdSchema,
        response: { 200: jsonAnswer(ItemSchema), ...problemResponses(401, 404, 422, 429, 500) },
      },
    },
    async (request) => {
      return orNotFound(await items.get(request.params.id), ITEM_NOT_FOUND);
    },
  );

  api.put(
    `${ITEMS_PATH}/:id`,
    {
      onRequest: admin,
      schema: {
        operationId: "replaceItem",
        tags: ["items"],
        security: SECURED,
        params: ItemIdSchema,
        body: ItemInSchema,
        response: { 200: jsonAnswer(ItemSchema), ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429, 500) },
      },
    },
    async (request) => {
      return orNotFound(await items.replace(request.params.id, request.body), ITEM_NOT_FOUND);
    },
  );

  api.delete(
    `${ITEMS_PATH}/:id`,
    {
      onRequest: admin,
      schema: {
        operationId: "deleteItem",
        tags: ["items"],
        security: SECURED,
        params: ItemIdSchema,
        response: { 204: z.null().describe("No content"), ...problemResponses(401, 403, 404, 422, 429, 500) },
      },
    },
    async (request, reply) => {
      if (!(await items.delete(request.params.id))) throw notFound(ITEM_NOT_FOUND);
      return reply.code(204).send(null);
    },
  );
}
