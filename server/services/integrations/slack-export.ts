// Reading a Slack workspace export (the zip Slack's "Export data" makes): users.json,
// channels.json (public channels) and groups.json (private ones, in exports that have them), one
// folder per channel of day files (`general/2024-05-01.json`), and, where a tool put them there,
// the files themselves (`__uploads/{file id}/{name}`, as slackdump writes them). The message
// fields read are those Slack documents for its export: ts, user, text, subtype, thread_ts,
// edited, reactions, files, bot_id, username, attachments, blocks.
import type { Readable } from "node:stream";
import yauzl from "yauzl";

export interface SlackUser {
  id: string;
  name: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { real_name?: string; display_name?: string };
}

export interface SlackChannel {
  id: string;
  name: string;
  created?: number;
  creator?: string;
  is_archived?: boolean;
  members?: string[];
  topic?: { value?: string };
  purpose?: { value?: string };
  /** set here: from groups.json */
  private: boolean;
}

export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
}

export interface SlackMessage {
  type?: string;
  subtype?: string;
  ts: string;
  user?: string;
  bot_id?: string;
  username?: string;
  bot_profile?: { name?: string };
  icons?: { image_48?: string; image_72?: string };
  text?: string;
  thread_ts?: string;
  edited?: { ts?: string };
  reactions?: { name: string; users?: string[] }[];
  files?: SlackFile[];
  attachments?: unknown[];
  blocks?: unknown[];
}

export interface SlackExport {
  users: SlackUser[];
  channels: SlackChannel[];
  /** a channel's messages, oldest first */
  messages(channel: SlackChannel): Promise<SlackMessage[]>;
  /** a shared file's bytes when the export has them */
  file(file: SlackFile): Promise<Readable | null>;
  close(): void;
}

/** Milliseconds since the epoch of a Slack timestamp ("1715000000.000200"). */
export const tsMs = (ts: string) => Math.round(Number(ts) * 1000);

export async function openSlackExport(path: string): Promise<SlackExport> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  const stream = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))));
  const json = async <T>(name: string): Promise<T | null> => {
    const entry = entries.get(name);
    if (!entry) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await stream(entry)) chunks.push(chunk as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
    } catch {
      throw new Error(`${name} in the export is not valid JSON`);
    }
  };

  const users = await json<SlackUser[]>("users.json");
  const publicChannels = await json<Omit<SlackChannel, "private">[]>("channels.json");
  if (!users || !publicChannels) throw new Error("This is not a Slack export: it has no users.json or channels.json.");
  const privateChannels = (await json<Omit<SlackChannel, "private">[]>("groups.json")) ?? [];
  return {
    users,
    channels: [
      ...publicChannels.map((c) => ({ ...c, private: false })),
      ...privateChannels.map((c) => ({ ...c, private: true })),
    ],
    async messages(channel) {
      const days = [...entries.keys()].filter((n) => n.startsWith(`${channel.name}/`) && n.endsWith(".json")).sort();
      const all: SlackMessage[] = [];
      for (const day of days) all.push(...((await json<SlackMessage[]>(day)) ?? []));
      // by time; a ts is unique within a channel
      return all.filter((m) => typeof m.ts === "string").sort((a, b) => Number(a.ts) - Number(b.ts) || a.ts.localeCompare(b.ts));
    },
    async file(file) {
      const entry = [...entries.values()].find(
        (e) => e.fileName.startsWith(`__uploads/${file.id}/`) && !e.fileName.endsWith("/"),
      );
      return entry ? stream(entry) : null;
    },
    close: () => zip.close(),
  };
}
