// What a request about a room is refused with, in one place: a private room must be refused in
// exactly the words a missing one is (decision 016), wherever the refusal is made.

/** What a request about a room a person may not know of is answered: the same as for no room at all. */
export const NO_SUCH_ROOM = "No such room.";
/** What joining a room that is not there, or is private, is answered (the same, so it tells nothing). */
export const NO_ENTRY = "There is no such room, or it is private: ask one of its members for an invitation.";
/** What a non-member of a public room is told when asking for what only members read. */
export const MEMBERS_ONLY = "Only members of this room can read it. Join it first.";
