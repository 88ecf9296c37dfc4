import { z } from '@hono/zod-openapi';
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { ApiError } from '../errors.ts';

/**
 * Keyset paging shared by the /v1 lists: newest first by (createdAt, id), the cursor an opaque base64
 * of the last row's key, so a page is stable while rows are added.
 */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z
    .string()
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});

export function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = atob(cursor).split('|');
    if (id && Number.isFinite(Number(createdAt))) return { createdAt: Number(createdAt), id };
  } catch {
    /* invalid */
  }
  throw new ApiError('BAD_REQUEST', 'invalid cursor');
}

/** The condition "after the cursor" for a list ordered by (createdAt desc, id desc). */
export function afterCursor(cursor: string, createdAt: SQLiteColumn, id: SQLiteColumn): SQL {
  const after = decodeCursor(cursor);
  return or(lt(createdAt, after.createdAt), and(eq(createdAt, after.createdAt), lt(id, after.id)))!;
}

/** Splits the `limit + 1` rows a query read into the page and the cursor of the next one. */
export function pageOf<T extends { createdAt: number; id: string }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? btoa(`${last.createdAt}|${last.id}`) : null };
}
