// Who people are, beyond a username: a display name, a short status and a picture. The picture
// is decoded and re-encoded here (a 256 x 256 WebP, like thumbnails), never served as uploaded.
import { Readable } from "node:stream";
import type { Db } from "../db.ts";
import type { FileStorage } from "../files/storage.ts";
import { makeAvatar } from "../files/thumbnails.ts";
import type { Profile } from "../protocol/index.ts";
import { AppError } from "./errors.ts";

/** The largest picture one may upload as an avatar (it is made much smaller). */
export const MAX_AVATAR_UPLOAD_BYTES = 10 * 1024 * 1024;

export const profileSelect = {
  id: true,
  username: true,
  displayName: true,
  status: true,
  avatarVersion: true,
  deactivatedAt: true,
  botOwnerId: true,
} as const;

type ProfileRow = {
  id: string;
  username: string;
  displayName: string | null;
  status: string | null;
  avatarVersion: number | null;
  deactivatedAt: Date | null;
  /** set on a bot (absent where a query does not read it) */
  botOwnerId?: string | null;
};

/** Where a user's avatar is served; the version makes a new picture a new URL. */
export const avatarUrlOf = (row: { id: string; avatarVersion: number | null }) =>
  row.avatarVersion === null ? null : `/api/users/${row.id}/avatar?v=${row.avatarVersion}`;

export const toProfile = (row: ProfileRow): Profile => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  status: row.status,
  avatarUrl: avatarUrlOf(row),
  ...(row.deactivatedAt ? { deactivated: true as const } : {}),
  ...(row.botOwnerId ? { bot: true as const } : {}),
});

const avatarKey = (userId: string) => `avatar-${userId}`;

export class ProfileService {
  constructor(
    private readonly db: Db,
    private readonly storage: FileStorage,
  ) {}

  /** The profiles of these users (the ones that exist), in any order. */
  async profiles(ids: string[]): Promise<Profile[]> {
    const rows = await this.db.user.findMany({ where: { id: { in: ids } }, select: profileSelect });
    return rows.map(toProfile);
  }

  async profile(userId: string): Promise<Profile> {
    const row = await this.db.user.findUnique({ where: { id: userId }, select: profileSelect });
    if (!row) throw new AppError("not_found", "No such user.");
    return toProfile(row);
  }

  /** Changes `userId`'s display name or status ("" takes one away). */
  async update(userId: string, change: { displayName?: string; status?: string }): Promise<Profile> {
    const data = {
      ...(change.displayName === undefined ? {} : { displayName: change.displayName || null }),
      ...(change.status === undefined ? {} : { status: change.status || null }),
    };
    return toProfile(await this.db.user.update({ where: { id: userId }, data, select: profileSelect }));
  }

  /**
   * Sets `userId`'s avatar from an uploaded picture (PNG, JPEG, GIF or WebP): made into a
   * 256 x 256 WebP; invalid_input when it is not a picture the server reads.
   */
  async setAvatar(userId: string, source: Readable): Promise<Profile> {
    const staged = await this.storage.stage(source, MAX_AVATAR_UPLOAD_BYTES);
    let made: Buffer | null;
    try {
      made = await makeAvatar(staged.path);
    } finally {
      await staged.discard();
    }
    if (!made) throw new AppError("invalid_input", "That is not a picture: use a PNG, JPEG, GIF or WebP.");
    const avatar = await this.storage.stage(Readable.from([made]), made.length);
    await avatar.commit(avatarKey(userId));
    const row = await this.db.user.update({
      where: { id: userId },
      data: { avatarVersion: { increment: 1 } },
      select: profileSelect,
    });
    // the first picture: the increment of null is null on some providers
    if (row.avatarVersion === null) {
      return toProfile(await this.db.user.update({ where: { id: userId }, data: { avatarVersion: 1 }, select: profileSelect }));
    }
    return toProfile(row);
  }

  /** Takes `userId`'s avatar away: their initials show again. */
  async removeAvatar(userId: string): Promise<Profile> {
    const row = await this.db.user.update({ where: { id: userId }, data: { avatarVersion: null }, select: profileSelect });
    await this.storage.remove(avatarKey(userId));
    return toProfile(row);
  }

  /** The avatar's bytes (a WebP), or null when there is none. */
  async avatar(userId: string) {
    const row = await this.db.user.findUnique({ where: { id: userId }, select: { avatarVersion: true } });
    if (!row || row.avatarVersion === null) return null;
    return this.storage.open(avatarKey(userId));
  }
}
