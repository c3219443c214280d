// The search index's two implementations (decision 015), on the message store's own connection:
// SQLite's FTS5 with the trigram tokenizer, PostgreSQL's pg_trgm. Both answer the same filter
// with the same messages; the reader's access is part of every query, never checked afterwards.
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { whileBusyRetry } from "../../db/busy.ts";
import { likeEscape } from "../../db/like.ts";
import { DEFAULT_DATABASE_TIMEOUT_MS } from "../../db/timeouts.ts";
import type { SearchHas, TermPattern } from "../../protocol/search.ts";
import { entryOfRow } from "./entry.ts";

export interface SearchFilter {
  userId: string;
  /** each must match (server/protocol/search.ts termPattern); none: every message the rest allows */
  patterns: TermPattern[];
  /** only these rooms and conversations (still only the reader's); null: all of the reader's */
  within: { roomIds: string[]; conversationIds: string[] } | null;
  /** only messages by these people; null: anyone's */
  authorIds: string[] | null;
  has: SearchHas[];
  /** written at or after this moment */
  after: Date | null;
  /** written before this moment */
  before: Date | null;
  /** newest first, or best match first (then newest) */
  order: "newest" | "best";
  /** newest: only hits below this id (0: from the newest); best: how many to skip */
  cursor: number;
  limit: number;
}

export interface SearchHit {
  /** the index's id of the message: newer messages have higher ones */
  id: number;
  messageId: string;
  roomId: string | null;
  conversationId: string | null;
}

export interface SearchBackend {
  /** The hits of `filter`, every message stored so far among them. */
  find(filter: SearchFilter): Promise<SearchHit[]>;
  /**
   * Adds the entries written since the last time to the trigram index, in one transaction
   * (SQLite: decision 015; a search does it first, the server every second). PostgreSQL's GIN
   * index defers its own (its pending list): nothing to do there.
   */
  flush(): Promise<void>;
  /**
   * Folds up to `batch` entries of messages written before the index existed (their text is ''),
   * after id `from`; returns the last id done, or null when none are left.
   */
  backfill(from: number, batch: number): Promise<number | null>;
}

// folded text keeps "://" as " : / / "
const LINK = [" http : / / ", " https : / / "];

/** What a backfill reads per entry: the message's body and file, if the message is still there. */
interface Unfolded {
  id: number;
  body: string | null;
  fileId: string | null;
  fileName: string | null;
  fileType: string | null;
  fileRemovedAt: unknown;
}

/** How many entries one transaction adds to SQLite's trigram index (a few tens of milliseconds). */
const FLUSH_BATCH = 5000;

const unfolded = (from: string, limit: string) => `SELECT t.id, COALESCE(m.body, d.body) AS body,
    COALESCE(m."fileId", d."fileId") AS "fileId", f.name AS "fileName", f."mimeType" AS "fileType",
    f."removedAt" AS "fileRemovedAt"
  FROM "SearchText" t LEFT JOIN "Message" m ON m.id = t."messageId" AND m."deletedAt" IS NULL
    LEFT JOIN "DirectMessage" d ON d.id = t."messageId" AND d."deletedAt" IS NULL
    LEFT JOIN "File" f ON f.id = COALESCE(m."fileId", d."fileId")
  WHERE t.id > ${from} AND t.text = '' ORDER BY t.id LIMIT ${limit}`;

/** The parts of a WHERE both providers share, with `p(n)` naming the n-th parameter. */
function conditions(f: SearchFilter, p: () => string, params: unknown[], at: (d: Date) => unknown): string[] {
  const add = (value: unknown) => {
    params.push(value);
    return p();
  };
  const user = add(f.userId);
  const where = [
    `(t."roomId" IN (SELECT b."roomId" FROM "Membership" b WHERE b."userId" = ${user})
      OR t."conversationId" IN (SELECT c."conversationId" FROM "ConversationMember" c WHERE c."userId" = ${user}))`,
  ];
  if (f.within) {
    const rooms = f.within.roomIds.map(add).join(", ") || "NULL";
    const conversations = f.within.conversationIds.map(add).join(", ") || "NULL";
    where.push(`(t."roomId" IN (${rooms}) OR t."conversationId" IN (${conversations}))`);
  }
  if (f.authorIds) where.push(`t."authorId" IN (${f.authorIds.map(add).join(", ") || "NULL"})`);
  if (f.has.includes("file")) where.push(`t."fileType" IS NOT NULL`);
  if (f.has.includes("image")) where.push(`t."fileType" LIKE 'image/%'`);
  if (f.has.includes("link")) where.push(`(${LINK.map((l) => `t.text LIKE ${add(`%${l}%`)}`).join(" OR ")})`);
  if (f.after) where.push(`t."createdAt" >= ${add(at(f.after))}`);
  if (f.before) where.push(`t."createdAt" < ${add(at(f.before))}`);
  return where;
}

/** An FTS5 query that every pattern matches, each a phrase in its column (found as a substring by trigrams). */
const ftsQuery = (patterns: TermPattern[]) =>
  patterns.map(({ column, pattern }) => `${column} : "${pattern.replace(/"/g, '""')}"`).join(" AND ");

export class SqliteSearch implements SearchBackend {
  private readonly unfolded: BetterSqlite3.Statement;
  private readonly fold: BetterSqlite3.Statement;
  private readonly drop: BetterSqlite3.Statement;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly marks: BetterSqlite3.Statement;
  private readonly indexSome: () => void;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly busyBudgetMs = DEFAULT_DATABASE_TIMEOUT_MS,
  ) {
    this.marks = db.prepare(
      `SELECT "upTo", (SELECT COALESCE(MAX(id), 0) FROM "SearchText") AS "last" FROM "SearchIndexed" WHERE id = 1`,
    );
    const index = db.prepare(
      `INSERT INTO "SearchIndex" (rowid, text, grams) SELECT id, text, grams FROM "SearchText" WHERE id > ? AND id <= ?`,
    );
    const mark = db.prepare(`UPDATE "SearchIndexed" SET "upTo" = ? WHERE id = 1`);
    // IMMEDIATE: no other writer between reading the mark and moving it
    const indexSome = db.transaction(() => {
      const { upTo, last } = this.marks.get() as { upTo: number; last: number };
      const to = Math.min(last, upTo + FLUSH_BATCH);
      if (to <= upTo) return;
      index.run(upTo, to);
      mark.run(to);
    });
    this.indexSome = () => indexSome.immediate();
    this.unfolded = db.prepare(unfolded("?", "?"));
    this.fold = db.prepare(`UPDATE "SearchText" SET "fileType" = ?, text = ?, grams = ? WHERE id = ? AND text = ''`);
    this.drop = db.prepare(`DELETE FROM "SearchText" WHERE id = ? AND text = ''`);
  }

  /** A prepared statement per shape of query (there are few: the filters present, not their values). */
  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size < 200) this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Indexes every entry past the mark, FLUSH_BATCH per transaction with other work let through in
   * between (after an upgrade there may be millions), until none is left, counting ones written
   * meanwhile; one flush at a time, which a second caller waits for.
   */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      for (;;) {
        const { upTo, last } = this.marks.get() as { upTo: number; last: number };
        if (last <= upTo) return;
        await whileBusyRetry(this.indexSome, this.busyBudgetMs);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async find(f: SearchFilter): Promise<SearchHit[]> {
    await this.flush();
    const params: unknown[] = [];
    // named (better-sqlite3 binds no numbered parameters): one value may be used twice
    const p = () => `@p${params.length}`;
    const add = (value: unknown) => {
      params.push(value);
      return p();
    };
    const match = f.patterns.length > 0 ? `"SearchIndex" MATCH ${add(ftsQuery(f.patterns))}` : null;
    const where = conditions(f, p, params, (d) => d.getTime());
    const columns = `t.id, t."messageId", t."roomId", t."conversationId"`;
    let sql: string;
    if (match) {
      const from = `FROM "SearchIndex" s JOIN "SearchText" t ON t.id = s.rowid WHERE ${[match, ...where].join(" AND ")}`;
      sql =
        f.order === "newest"
          ? // the index walks its rows newest first and stops at `limit`
            `SELECT ${columns} ${from}${f.cursor > 0 ? ` AND s.rowid < ${add(f.cursor)}` : ""} ORDER BY s.rowid DESC LIMIT ${add(f.limit)}`
          : `SELECT ${columns} ${from} ORDER BY s.rank, s.rowid DESC LIMIT ${add(f.limit)} OFFSET ${add(f.cursor)}`;
    } else {
      if (f.order === "newest" && f.cursor > 0) where.push(`t.id < ${add(f.cursor)}`);
      sql = `SELECT ${columns} FROM "SearchText" t WHERE ${where.join(" AND ")} ORDER BY t.id DESC LIMIT ${add(f.limit)}`;
      if (f.order === "best") sql += ` OFFSET ${add(f.cursor)}`;
    }
    return this.prepared(sql).all(Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]))) as SearchHit[];
  }

  async backfill(from: number, batch: number): Promise<number | null> {
    return this.db.transaction(() => {
      const rows = this.unfolded.all(from, batch) as Unfolded[];
      for (const row of rows) {
        if (row.body === null) this.drop.run(row.id);
        else {
          const e = entryOfRow({ ...row, body: row.body });
          this.fold.run(e.fileType, e.text, e.grams, row.id);
        }
      }
      return rows.at(-1)?.id ?? null;
    })();
  }
}

export class PostgresSearch implements SearchBackend {
  constructor(private readonly pool: pg.Pool) {}

  async flush(): Promise<void> {}

  async find(f: SearchFilter): Promise<SearchHit[]> {
    const params: unknown[] = [];
    const p = () => `$${params.length}`;
    const where = conditions(f, p, params, (d) => d.toISOString().replace("Z", ""));
    for (const { column, pattern } of f.patterns) {
      params.push(`%${likeEscape(pattern)}%`);
      where.push(`t.${column} LIKE ${p()} ESCAPE '\\'`);
    }
    let order = "t.id DESC";
    if (f.order === "best" && f.patterns.length > 0) {
      // the share of the terms' trigrams in the text: more of them, and in a shorter text, first
      params.push(f.patterns.map((t) => t.pattern).join(" "));
      order = `similarity(t.text, ${p()}) DESC, t.id DESC`;
    }
    if (f.order === "newest" && f.cursor > 0) {
      params.push(f.cursor);
      where.push(`t.id < ${p()}`);
    }
    params.push(f.limit);
    let sql = `SELECT t.id::float8 AS id, t."messageId", t."roomId", t."conversationId" FROM "SearchText" t
      WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${p()}`;
    if (f.order === "best") {
      params.push(f.cursor);
      sql += ` OFFSET ${p()}`;
    }
    const { rows } = await this.pool.query<SearchHit>(sql, params);
    return rows;
  }

  async backfill(from: number, batch: number): Promise<number | null> {
    const { rows } = await this.pool.query<Unfolded>(unfolded("$1", "$2").replace("SELECT t.id,", "SELECT t.id::float8 AS id,"), [
      from,
      batch,
    ]);
    for (const row of rows) {
      if (row.body === null) await this.pool.query(`DELETE FROM "SearchText" WHERE id = $1 AND text = ''`, [row.id]);
      else {
        const e = entryOfRow({ ...row, body: row.body });
        await this.pool.query(`UPDATE "SearchText" SET "fileType" = $1, text = $2, grams = $3 WHERE id = $4 AND text = ''`, [
          e.fileType,
          e.text,
          e.grams,
          row.id,
        ]);
      }
    }
    return rows.at(-1)?.id ?? null;
  }
}

/**
 * Folds the entries of messages written before the index existed, a batch at a time, yielding to
 * other work between batches, until none are left or `stopped()`; resolves with how many batches.
 */
export async function backfill(backend: SearchBackend, stopped: () => boolean, batch = 500): Promise<number> {
  let batches = 0;
  for (let from: number | null = 0; from !== null && !stopped(); batches++) {
    from = await backend.backfill(from, batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return batches;
}
