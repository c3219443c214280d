import type { PublicUser } from "./users.ts";

/** A room message as every client sees it (docs/protocol.md). */
export interface WireMessage {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
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
}

/** A message on its way to be stored, in a room or a conversation (the queue's key says which). */
export interface OutgoingMessage {
  author: PublicUser;
  body: string;
  clientMsgId: string;
}

export interface Stored<W = WireMessage> {
  message: W;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
}
