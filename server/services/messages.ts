import type { PublicUser } from "./users.ts";

/** A message as every client sees it (docs/protocol.md). */
export interface WireMessage {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
}

export interface OutgoingMessage {
  roomId: string;
  author: PublicUser;
  body: string;
  clientMsgId: string;
}

export interface Stored {
  message: WireMessage;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
}
