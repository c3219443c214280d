// Avatars over HTTP (docs/protocol.md, "Profiles"): a person sets theirs by sending a picture
// (made into a 256 x 256 WebP here), takes it away, and anyone signed in fetches one by user id.
import type { HttpAuth } from "../auth/http-auth.ts";
import type { Profile } from "../protocol/index.ts";
import { AppError } from "../services/errors.ts";
import { MAX_AVATAR_UPLOAD_BYTES, type ProfileService } from "../services/profiles.ts";
import type { Route } from "./api.ts";
import { sendJson } from "./respond.ts";

const AVATAR_HEADERS = {
  "content-type": "image/webp",
  "x-content-type-options": "nosniff",
  "content-security-policy": "sandbox; default-src 'none'",
  "cross-origin-resource-policy": "same-origin",
  // a new picture is a new URL (?v=): one under a URL never changes
  "cache-control": "private, max-age=31536000, immutable",
};

export function profileRoutes({
  auth,
  profiles,
  announce,
}: {
  auth: HttpAuth;
  profiles: ProfileService;
  /** tells everyone connected that someone's profile changed */
  announce: (profile: Profile) => void;
}): Route[] {
  return [
    {
      path: "/api/avatar",
      methods: {
        PUT: async (req, res) => {
          const { user } = await auth(req, "write");
          if (Number(req.headers["content-length"]) > MAX_AVATAR_UPLOAD_BYTES) {
            throw new AppError("too_large", "An avatar picture may be at most 10 MB.");
          }
          const profile = await profiles.setAvatar(user.id, req);
          announce(profile);
          sendJson(res, 200, { profile });
        },
        DELETE: async (req, res) => {
          const { user } = await auth(req, "write");
          const profile = await profiles.removeAvatar(user.id);
          announce(profile);
          sendJson(res, 200, { profile });
        },
      },
    },
    {
      path: /^\/api\/users\/([A-Za-z0-9-]{1,64})\/avatar$/,
      methods: {
        GET: async (req, res, [userId]) => {
          await auth(req, "read");
          const blob = await profiles.avatar(userId);
          if (!blob) throw new AppError("not_found", "No avatar.");
          res.writeHead(200, { ...AVATAR_HEADERS, "content-length": blob.size });
          blob.read().pipe(res);
        },
      },
    },
  ];
}
