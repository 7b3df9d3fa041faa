// The items resource's schemas: one zod schema gives validation, TypeScript types and OpenAPI.

import { z } from "zod";
import {
  ITEM_DESCRIPTION_MAX,
  ITEM_NAME_MAX,
  ITEM_PRICE_MAX,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
} from "../platform/contract.js";

/** Text without U+0000, so every database stores the same thing. */
const text = () => z.string().refine((value) => !value.includes("\u0000"), "must not contain a NUL character");

export const ItemInSchema = z
  .strictObject({
    name: text().trim().min(1, "must not be blank").max(ITEM_NAME_MAX),
    // A union rather than .nullable(): the OpenAPI document then says `anyOf [string, null]`.
    description: z.union([text().max(ITEM_DESCRIPTION_MAX), z.null()]).optional(),
    price_cents: z.int().min(0).max(ITEM_PRICE_MAX),
  })
  .meta({ id: "ItemIn" });
export type ItemIn = z.infer<typeof ItemInSchema>;

export const ItemSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    description: z.union([z.string(), z.null()]),
    price_cents: z.int(),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: "Item" });
export type Item = z.infer<typeof ItemSchema>;

export const ItemPageSchema = z
  .object({ items: z.array(ItemSchema), total: z.int(), limit: z.int(), offset: z.int() })
  .meta({ id: "ItemPage" });
export type ItemPage = z.infer<typeof ItemPageSchema>;

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ItemIdSchema = z.object({ id: z.coerce.number().int() });
