import type { PublicUser } from "./users.ts";

/** A shared file as a message carries it (docs/protocol.md). */
export interface WireFile {
  id: string;
  /** the uploaded name, made safe (server/files/names.ts) */
  name: string;
  size: number;
  /** MIME type */
  type: string;
  /** a picture's thumbnail size (at most 320 x 320), at GET /api/files/{id}/thumbnail; null: none */
  thumbnail: { width: number; height: number } | null;
}

/** A file on its way to be stored with its message. */
export interface NewFile extends WireFile {
  sha256: string;
}

/** A room message as every client sees it (docs/protocol.md). */
export interface WireMessage {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
  /** only on a message that shares a file */
  file?: WireFile;
}

/** A private message as its two participants see it (docs/protocol.md). */
export interface WireDirectMessage {
  id: string;
  conversationId: string;
  seq: number;
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
  file?: WireFile;
}

/** A message on its way to be stored, in a room or a conversation (the queue's key says which). */
export interface OutgoingMessage {
  author: PublicUser;
  body: string;
  clientMsgId: string;
  /** a file to store with the message, in the same transaction */
  file?: NewFile;
}

export interface Stored<W = WireMessage> {
  message: W;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
}
