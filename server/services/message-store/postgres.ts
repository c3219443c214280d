// The message store on PostgreSQL: one transaction per room and write, rooms in parallel (the
// parent row's lock serializes one room's writers, across nodes too).
import type pg from "pg";
import { orderedId } from "../../db/ordered-id.ts";
import type { Page, PageCursor, SyncPage } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import { isChange, type MessageChange, type MessageJob, type Outcome, type OutgoingMessage, type Stored } from "../messages.ts";
import { entryOfRow } from "../search/entry.ts";
import { planChange, relatedTo } from "./change-plan.ts";
import { fileValues, plan, splitJobs, syncPage, toPage } from "./plan.ts";
import type { Row, RowWrite, Scope, ScopeBatch, ScopedStore } from "./types.ts";

// Prisma keeps DateTime on PostgreSQL as UTC in `timestamp(3)` columns.
export const utc = (column: string, as: string) => `${column} AT TIME ZONE 'UTC' AS "${as}"`;
const AT = `($1::timestamptz AT TIME ZONE 'UTC')`;

const names = new Map<string, string>();

/**
 * Runs one of the store's statements as a named (prepared) one: each pooled connection has
 * PostgreSQL parse and plan it once instead of on every send. Only texts built from the scope at
 * construction go through here, so the names stay few.
 */
function run<R extends pg.QueryResultRow = pg.QueryResultRow>(on: pg.Pool | pg.PoolClient, text: string, values: unknown[]) {
  let name = names.get(text);
  if (name === undefined) {
    name = `komnata-store-${names.size}`;
    names.set(text, name);
  }
  return on.query<R>({ name, text, values });
}

/** A send with no reply and no file: its whole write is one statement (PostgresMessageStore.insert). */
const isPlainSend = (job: MessageJob) => !isChange(job) && job.replyTo === undefined && job.file === undefined;

/** The search entries' columns of new rows ($13-$15 of the insert). */
function entryColumns(rows: Row[]): [(string | null)[], string[], string[]] {
  const entries = rows.map(entryOfRow);
  return [entries.map((e) => e.fileType), entries.map((e) => e.text), entries.map((e) => e.grams)];
}

export class PostgresMessageStore<W> implements ScopedStore<W> {
  private readonly select: string;
  private readonly byId: string;
  private readonly insertNumbered: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly scope: Scope<W>,
    private readonly ownsPool: boolean,
  ) {
    const columns = `SELECT m."${scope.key}" AS "scopeId", m.id, m.seq, m.rev, m.body, m."clientMsgId", ${utc('m."createdAt"', "createdAt")},
         ${utc('m."editedAt"', "editedAt")}, ${utc('m."deletedAt"', "deletedAt")}, m."deletedById", ${utc('m."pinnedAt"', "pinnedAt")}, m."pinnedById", m."authorId", u.username,
         m."fileId", f.name AS "fileName", f.size AS "fileSize", f."mimeType" AS "fileType", f."thumbWidth", f."thumbHeight",
         f."removedAt" AS "fileRemovedAt", m."replyToId", m."replyCount", m.reactions, m.mentions, m.via, r.seq AS "replySeq",
         r."authorId" AS "replyAuthorId", ru.username AS "replyUsername", r.body AS "replyBody",
         r."deletedAt" AS "replyDeletedAt", CASE WHEN rf."removedAt" IS NULL THEN rf.name END AS "replyFileName"
       FROM "${scope.table}" m JOIN "User" u ON u.id = m."authorId" LEFT JOIN "File" f ON f.id = m."fileId"
         LEFT JOIN "${scope.table}" r ON r.id = m."replyToId" LEFT JOIN "User" ru ON ru.id = r."authorId"
         LEFT JOIN "File" rf ON rf.id = r."fileId"`;
    this.select = `${columns} WHERE m."${scope.key}" = $1`;
    // The room's counters taken ($18 seqs, $19 revs; no row when the room is gone or frozen), and
    // the rows, their search entries and the senders' read marks numbered from them ($3, $9 and
    // $17 count from 1): data-modifying WITH parts all run, on the same snapshot.
    const { table, parent, key, marks, frozen } = scope;
    this.insertNumbered = `WITH taken AS (
         UPDATE "${parent}" SET "lastSeq" = "lastSeq" + $18, rev = rev + $19, "lastMessageAt" = ($7::timestamptz AT TIME ZONE 'UTC'),
           "activityAt" = ($7::timestamptz AT TIME ZONE 'UTC') WHERE id = $2 AND NOT (${frozen})
         RETURNING "lastSeq" - $18 AS seq0, rev - $19 AS rev0
       ), messages AS (
         INSERT INTO "${table}" (id, "${key}", seq, rev, "authorId", body, "clientMsgId", "createdAt", "fileId", "replyToId", mentions, via)
         SELECT id, $2, seq0 + seq, rev0 + rev, author, body, cmid, ($7::timestamptz AT TIME ZONE 'UTC'), file, reply, mentions, via
         FROM unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::text[], $8::text[], $9::int[], $10::text[], $11::text[], $12::text[])
           AS t(id, seq, author, body, cmid, file, rev, reply, mentions, via), taken
       ), entries AS (
         INSERT INTO "SearchText" ("messageId", "${key}", "authorId", "createdAt", "fileType", text, grams)
         SELECT id, $2, author, ($7::timestamptz AT TIME ZONE 'UTC'), type, text, grams
         FROM unnest($1::text[], $4::text[], $13::text[], $14::text[], $15::text[]) AS t(id, author, type, text, grams), taken
       ), marks AS (
         UPDATE "${marks}" c SET "lastReadSeq" = GREATEST(c."lastReadSeq", seq0 + t.seq)
         FROM unnest($16::text[], $17::int[]) AS t(author, seq), taken WHERE c."${key}" = $2 AND c."userId" = t.author
       )
       SELECT seq0, rev0 FROM taken`;
    this.byId = `${columns} WHERE m.id = ANY($1::text[])`;
  }

  /** Runs `work` in a transaction on one pooled connection. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async storeBatch(scopeId: string, batch: OutgoingMessage[]): Promise<Stored<W>[]> {
    // new messages only: each outcome is a Stored
    return (await this.storeBatches([{ scopeId, messages: batch }]))[0] as Stored<W>[];
  }

  /** New messages first (they take the next seqs and revs together), then changes in order. */
  private async write(client: pg.PoolClient, scopeId: string, batch: MessageJob[]): Promise<Outcome<W>[]> {
    const { sends, merge } = splitJobs(batch);
    const sent = sends.length > 0 ? await this.insert(client, scopeId, sends) : [];
    const changed: Outcome<W>[] = [];
    for (const change of batch.filter(isChange)) changed.push(await this.change(client, scopeId, change));
    return merge(sent, changed);
  }

  /**
   * New messages: the rows already stored with their clientMsgIds read, the originals their replies
   * answer locked and read, then one statement that takes the room's next seqs and revs and
   * inserts the rows, their search entries (decision 015) and the senders' read marks numbered
   * from them. `on` is a transaction's client, or, for plain sends (no reply, no file: most of
   * them), the pool: their read and that statement, atomic on its own, are two round trips
   * instead of five. A plain send racing a retry of the same clientMsgId (another tab, another
   * node) then fails the unique key; the queue writes the batch's sends again one at a time, and
   * the read finds the stored row.
   */
  private async insert(on: pg.Pool | pg.PoolClient, scopeId: string, batch: OutgoingMessage[]): Promise<Outcome<W>[]> {
    const { rows: existing } = await run<Row>(on, `${this.select} AND m."clientMsgId" = ANY($2::text[])`, [
      scopeId,
      [...new Set(batch.map((m) => m.clientMsgId))],
    ]);
    const replied = [...new Set(batch.flatMap((m) => (m.replyTo === undefined ? [] : [m.replyTo])))];
    let originals: Row[] = [];
    if (replied.length > 0) {
      // the originals stay locked until their replyCount is written (another node may be at them
      // too); the scope's row is locked first, as every change does, so no two wait on each other
      await this.lockScope(on, scopeId);
      ({ rows: originals } = await run<Row>(on, `${this.select} AND m.id = ANY($2::text[]) FOR UPDATE OF m`, [scopeId, replied]));
    }
    // rows of other authors with the same clientMsgId are keyed apart and never match
    const p = plan(this.scope, scopeId, batch, existing, originals);
    if (p.fresh.length === 0) return p.finish(0, 0).answers;
    const at = p.createdAt.toISOString();
    const ids = p.fresh.map(() => orderedId());
    // numbered from 1 here: the statement adds what the room's counters were
    const { rows, files, readUpTo } = p.finish(1, 1, ids);
    for (const [i, f] of files.entries()) {
      if (!f) continue;
      await run(
        on,
        `INSERT INTO "File" (id, name, "nameKey", size, "mimeType", sha256, "uploaderId", "${this.scope.key}", "thumbWidth", "thumbHeight", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ($11::timestamptz AT TIME ZONE 'UTC'))`,
        [...fileValues(f, rows[i], scopeId), at],
      );
    }
    const {
      rows: [taken],
    } = await run<{ seq0: number; rev0: number }>(on, this.insertNumbered, [
      rows.map((r) => r.id),
      scopeId,
      rows.map((r) => r.seq),
      rows.map((r) => r.authorId),
      rows.map((r) => r.body),
      rows.map((r) => r.clientMsgId),
      at,
      rows.map((r) => r.fileId),
      rows.map((r) => r.rev),
      rows.map((r) => r.replyToId),
      rows.map((r) => r.mentions),
      rows.map((r) => r.via),
      ...entryColumns(rows),
      [...readUpTo.keys()],
      [...readUpTo.values()],
      p.fresh.length,
      p.revs,
    ]);
    if (taken === undefined) throw await this.refusal(on, scopeId);
    const written = p.finish(taken.seq0 + 1, taken.rev0 + 1, ids);
    for (const original of written.originals) await this.update(on, original);
    return written.answers;
  }

  private async lockScope(client: pg.Pool | pg.PoolClient, scopeId: string): Promise<void> {
    await run(client, `SELECT 1 FROM "${this.scope.parent}" WHERE id = $1 FOR UPDATE`, [scopeId]);
  }

  /** Why a write to `scopeId` changed no row: it is not there, or frozen (an archived room). */
  private async refusal(client: pg.Pool | pg.PoolClient, scopeId: string): Promise<AppError> {
    const { rowCount } = await run(client, `SELECT 1 FROM "${this.scope.parent}" WHERE id = $1`, [scopeId]);
    return rowCount === 0 ? new AppError("not_found", this.scope.notFound) : new AppError("forbidden", this.scope.frozenMessage);
  }

  /** Sets the columns a change may change, from `w`. */
  private async update(client: pg.Pool | pg.PoolClient, w: RowWrite): Promise<void> {
    const ts = (at: Date | null) => at?.toISOString() ?? null;
    await run(
      client,
      `UPDATE "${this.scope.table}" SET rev = $2, body = $3, "editedAt" = ($4::timestamptz AT TIME ZONE 'UTC'),
         "deletedAt" = ($5::timestamptz AT TIME ZONE 'UTC'), "replyCount" = $6, reactions = $7, mentions = $8,
         "deletedById" = $9, "pinnedAt" = ($10::timestamptz AT TIME ZONE 'UTC'), "pinnedById" = $11 WHERE id = $1`,
      [
        w.id,
        w.rev,
        w.body,
        ts(w.editedAt),
        ts(w.deletedAt),
        w.replyCount,
        w.reactions,
        w.mentions,
        w.deletedById,
        w.pinnedAt === null ? null : new Date(w.pinnedAt).toISOString(),
        w.pinnedById,
      ],
    );
  }

  private async change(client: pg.PoolClient, scopeId: string, change: MessageChange): Promise<Outcome<W>> {
    const { parent, versions } = this.scope;
    // the rows stay locked until the change is written (another node may be at them too), the
    // scope's row first
    await this.lockScope(client, scopeId);
    const lock = (where: string, value: string) =>
      run<Row>(client, `${this.select} AND ${where} FOR UPDATE OF m`, [scopeId, value]).then((r) => r.rows);
    const [row] = await lock("m.id = $2", change.messageId);
    const needs = relatedTo(row, change);
    const replies = needs.replies ? await lock(`m."replyToId" = $2 AND m."deletedAt" IS NULL ORDER BY m.seq`, row.id) : [];
    const original = needs.originalId === null ? undefined : (await lock("m.id = $2", needs.originalId))[0];
    const p = planChange(this.scope, scopeId, row, change, { replies, original });
    if ("done" in p) return p.done;
    const at = new Date();
    const { rows: bumped } = await run<{ rev: number }>(
      client,
      `UPDATE "${parent}" SET rev = rev + $2 WHERE id = $1 AND NOT (${this.scope.frozen}) RETURNING rev`,
      [scopeId, p.revs],
    );
    if (bumped.length === 0) throw await this.refusal(client, scopeId);
    const written = p.apply(bumped[0].rev - p.revs + 1, at);
    if (written.version) {
      await run(client, `INSERT INTO "${versions}" (id, "messageId", body, "replacedAt") VALUES ($2, $3, $4, ${AT})`, [
        at.toISOString(),
        orderedId(),
        written.version.messageId,
        written.version.body,
      ]);
    }
    for (const w of written.rows) await this.update(client, w);
    if (change.kind === "delete") await run(client, `DELETE FROM "SearchText" WHERE "messageId" = $1`, [row.id]);
    else if (change.kind === "edit") {
      const entry = entryOfRow({ ...row, body: change.body });
      await run(client, `UPDATE "SearchText" SET "fileType" = $2, text = $3, grams = $4 WHERE "messageId" = $1`, [
        row.id,
        entry.fileType,
        entry.text,
        entry.grams,
      ]);
    }
    const { removedFile } = written.outcome;
    if (removedFile) {
      await run(client, `UPDATE "File" SET "removedAt" = COALESCE("removedAt", ${AT}) WHERE id = $2`, [
        at.toISOString(),
        removedFile.id,
      ]);
    }
    return written.outcome;
  }

  async storeBatches(batches: ScopeBatch[]): Promise<Outcome<W>[][]> {
    if (batches.length !== 1) throw new Error("PostgreSQL stores one room per transaction");
    const [{ scopeId, messages }] = batches;
    if (messages.every(isPlainSend)) return [await this.insert(this.pool, scopeId, messages as OutgoingMessage[])];
    return [await this.transaction((client) => this.write(client, scopeId, messages))];
  }

  async page(scopeId: string, cursor: PageCursor, limit: number): Promise<Page<W>> {
    const newestFirst = cursor.afterSeq === undefined;
    const { rows } = await run<Row>(
      this.pool,
      `${this.select} AND ${newestFirst ? "m.seq < $2 ORDER BY m.seq DESC" : "m.seq > $2 ORDER BY m.seq ASC"} LIMIT $3`,
      [scopeId, newestFirst ? (cursor.beforeSeq ?? 2_147_483_647) : cursor.afterSeq, limit + 1],
    );
    return toPage(this.scope, scopeId, rows, limit, newestFirst);
  }

  async byIds(ids: string[]): Promise<W[]> {
    if (ids.length === 0) return [];
    const { rows } = await run<Row & { scopeId: string }>(this.pool, this.byId, [ids]);
    return rows.map((row) => this.scope.wire(row.scopeId, row));
  }

  async sync(scopeId: string, afterRev: number, limit: number): Promise<SyncPage<W>> {
    // one snapshot: the scope's rev and the changes agree
    return this.transaction(async (client) => {
      await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const { rows: scope } = await run<{ rev: number }>(client, `SELECT rev FROM "${this.scope.parent}" WHERE id = $1`, [
        scopeId,
      ]);
      const { rows } = await run<Row>(client, `${this.select} AND m.rev > $2 ORDER BY m.rev ASC LIMIT $3`, [
        scopeId,
        afterRev,
        limit + 1,
      ]);
      return syncPage(this.scope, scopeId, rows, limit, scope[0]?.rev ?? 0, afterRev);
    });
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
