// The server's own settings, changed by a server admin on the /admin page (or `npm run admin`):
// who may make an account, the upload limit, the room new people join. Kept in the database so
// every node follows them; registration is read at each sign-up (it must hold at once), the rest
// from a copy each node refreshes every few seconds.
import type { Db } from "../db.ts";
import type { ServerSettings } from "../protocol/index.ts";

/** How long a node may go on with settings another node changed. */
export const SETTINGS_REFRESH_MS = 5_000;

const DEFAULTS: ServerSettings = { registration: "open", uploadLimitMb: null, defaultRoomId: null };

function fromRows(rows: { key: string; value: string }[]): ServerSettings {
  const settings = { ...DEFAULTS };
  for (const { key, value } of rows) {
    if (key === "registration" && (value === "open" || value === "invite-only" || value === "closed"))
      settings.registration = value;
    if (key === "uploadLimitMb" && Number.isFinite(Number(value))) settings.uploadLimitMb = Number(value);
    if (key === "defaultRoomId") settings.defaultRoomId = value;
  }
  return settings;
}

export class ServerSettingsService {
  private cached: ServerSettings = { ...DEFAULTS };

  constructor(
    private readonly db: Db,
    /** MAX_UPLOAD_MB: the most an admin may allow (the proxy in front is set to it) */
    private readonly maxUploadBytes: number,
    /** how the rows are read; the server reads them every few seconds with a prepared statement (hot-reads.ts) */
    private readonly rows: () => Promise<{ key: string; value: string }[]> = () => db.serverSetting.findMany(),
  ) {}

  /** The settings as stored now. */
  async read(): Promise<ServerSettings> {
    this.cached = fromRows(await this.rows());
    return this.cached;
  }

  /** The settings as this node last read them (at most SETTINGS_REFRESH_MS old). */
  get current(): ServerSettings {
    return this.cached;
  }

  /** The largest upload allowed now: the admin's limit, within MAX_UPLOAD_MB. */
  uploadLimitBytes(): number {
    const { uploadLimitMb } = this.cached;
    return uploadLimitMb === null ? this.maxUploadBytes : Math.min(this.maxUploadBytes, Math.floor(uploadLimitMb * 1024 * 1024));
  }

  /** Changes some settings (callers validate them; null takes a setting back to its default). */
  async change(change: Partial<ServerSettings>): Promise<ServerSettings> {
    const writes = Object.entries(change).map(([key, value]) =>
      value === null
        ? this.db.serverSetting.deleteMany({ where: { key } })
        : this.db.serverSetting.upsert({
            where: { key },
            create: { key, value: String(value) },
            update: { value: String(value) },
          }),
    );
    await this.db.$transaction(writes);
    return this.read();
  }
}
