// The message store on PostgreSQL: one transaction per room and write, rooms in parallel (the
// parent row's lock serializes one room's writers, across nodes too).
import type pg from "pg";
import type { Page, PageCursor } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import type { OutgoingMessage, Stored } from "../messages.ts";
import { fileValues, plan, toPage } from "./plan.ts";
import type { Row, Scope, ScopeBatch, ScopedStore } from "./types.ts";

export class PostgresMessageStore<W> implements ScopedStore<W> {
  private readonly select: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly scope: Scope<W>,
    private readonly ownsPool: boolean,
  ) {
    this.select = `SELECT m.id, m.seq, m.body, m."clientMsgId", m."createdAt" AT TIME ZONE 'UTC' AS "createdAt", m."authorId", u.username,
         m."fileId", f.name AS "fileName", f.size AS "fileSize", f."mimeType" AS "fileType", f."thumbWidth", f."thumbHeight",
         f."removedAt" AS "fileRemovedAt"
       FROM "${scope.table}" m JOIN "User" u ON u.id = m."authorId" LEFT JOIN "File" f ON f.id = m."fileId"
       WHERE m."${scope.key}" = $1`;
  }

  async storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const answers = await this.write(client, scopeId, batch);
      await client.query("COMMIT");
      return answers;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async write(client: pg.PoolClient, scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    const { table, parent, key } = this.scope;
    const { rows: existing } = await client.query<Row>(`${this.select} AND m."clientMsgId" = ANY($2::text[])`, [
      scopeId,
      [...new Set(batch.map((m) => m.clientMsgId))],
    ]);
    // rows of other authors with the same clientMsgId are keyed apart and never match
    const p = plan(this.scope, scopeId, batch, existing);
    if (p.fresh.length === 0) return p.finish(0).answers;
    // Prisma keeps DateTime on PostgreSQL as UTC in `timestamp(3)` columns.
    const at = p.createdAt.toISOString();
    const bumped = await client.query<{ lastSeq: number }>(
      `UPDATE "${parent}" SET "lastSeq" = "lastSeq" + $1, "lastMessageAt" = ($2::timestamptz AT TIME ZONE 'UTC'),
         "activityAt" = ($2::timestamptz AT TIME ZONE 'UTC') WHERE id = $3 RETURNING "lastSeq"`,
      [p.fresh.length, at, scopeId],
    );
    if (bumped.rowCount === 0) throw new AppError("not_found", this.scope.notFound);
    const { rows, files, readUpTo, answers } = p.finish(bumped.rows[0].lastSeq - p.fresh.length + 1);
    for (const [i, f] of files.entries()) {
      if (!f) continue;
      await client.query(
        `INSERT INTO "File" (id, name, "nameKey", size, "mimeType", sha256, "uploaderId", "${key}", "thumbWidth", "thumbHeight", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ($11::timestamptz AT TIME ZONE 'UTC'))`,
        [...fileValues(f, rows[i], scopeId), at],
      );
    }
    await client.query(
      `INSERT INTO "${table}" (id, "${key}", seq, "authorId", body, "clientMsgId", "createdAt", "fileId")
       SELECT id, $2, seq, author, body, cmid, ($7::timestamptz AT TIME ZONE 'UTC'), file
       FROM unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::text[], $8::text[]) AS t(id, seq, author, body, cmid, file)`,
      [
        rows.map((r) => r.id),
        scopeId,
        rows.map((r) => r.seq),
        rows.map((r) => r.authorId),
        rows.map((r) => r.body),
        rows.map((r) => r.clientMsgId),
        at,
        rows.map((r) => r.fileId),
      ],
    );
    if (this.scope.readMarks && readUpTo.size > 0) {
      await client.query(
        `UPDATE "ConversationMember" c SET "lastReadSeq" = GREATEST(c."lastReadSeq", t.seq)
         FROM unnest($2::text[], $3::int[]) AS t(author, seq) WHERE c."conversationId" = $1 AND c."userId" = t.author`,
        [scopeId, [...readUpTo.keys()], [...readUpTo.values()]],
      );
    }
    return answers;
  }

  async storeBatches(batches: ScopeBatch[]): Promise<Stored<W>[][]> {
    if (batches.length !== 1) throw new Error("PostgreSQL stores one room per transaction");
    return [await this.storeBatch(batches[0].scopeId, batches[0].messages)];
  }

  async page(scopeId: string, cursor: PageCursor, limit: number): Promise<Page<W>> {
    const newestFirst = cursor.afterSeq === undefined;
    const { rows } = await this.pool.query<Row>(
      `${this.select} AND ${newestFirst ? "m.seq < $2 ORDER BY m.seq DESC" : "m.seq > $2 ORDER BY m.seq ASC"} LIMIT $3`,
      [scopeId, newestFirst ? (cursor.beforeSeq ?? 2_147_483_647) : cursor.afterSeq, limit + 1],
    );
    return toPage(this.scope, scopeId, rows, limit, newestFirst);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
