import type { PublicUser, WireFile, WireMessage } from "../protocol/index.ts";

/** A shared file with its content hash: what the store writes with its message, and what a download reads. */
export interface FileRecord extends WireFile {
  sha256: string;
}

/** A message on its way to be stored, in a room or a conversation (the queue's key says which). */
export interface OutgoingMessage {
  author: PublicUser;
  body: string;
  clientMsgId: string;
  /** a file to store with the message, in the same transaction */
  file?: FileRecord;
}

export interface Stored<W = WireMessage> {
  message: W;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
}
