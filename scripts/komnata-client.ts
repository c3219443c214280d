// The terminal client: `npm run client -- --url http://localhost:3000 --user alice` (or `komnata`).
// Written against the public protocol only (server/protocol, docs/protocol.md). Interactive in a
// terminal (the line being typed survives incoming messages); one line per event when piped, so
// it can be scripted: lines from stdin are commands or messages, in order.
import readline from "node:readline";
import { parseArgs } from "node:util";
import { Api } from "./client/api.ts";
import { complete, helpLines, runLine } from "./client/commands.ts";
import { type Output, Session } from "./client/session.ts";
import { problemText, sayer, terminalLocale } from "./client/words.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    user: { type: "string" },
    lang: { type: "string" },
    help: { type: "boolean" },
  },
});
let locale: string;
try {
  locale = terminalLocale(values.lang);
} catch (error) {
  console.error(`komnata: ${(error as Error).message}`);
  process.exit(2);
}
const say = sayer(locale);
const t = (key: string, values?: Record<string, string | number>) => say(`terminal.${key}`, values);
// an API token (a bot's, or one's own for scripts) instead of a password: who it is, the server says
const apiToken = process.env.KOMNATA_TOKEN || null;
if (values.help || (!values.user && !apiToken)) {
  console.log(`${t("usageLine")}\n`);
  console.log(helpLines(say).join("\n"));
  process.exit(values.help ? 0 : 2);
}
const api = new Api(values.url.replace(/\/$/, ""));
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

/** Reads a password from the terminal without echoing it. */
function askPassword(): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(`${t("password")} `);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(typed);
          return;
        }
        if (char === "\u0003") process.exit(130);
        if (char === "\u007f") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** Signs in, connects, and runs lines from stdin until /quit or the end of input. */
async function main(): Promise<void> {
  const password = apiToken ? "" : (process.env.KOMNATA_PASSWORD ?? (interactive ? await askPassword() : null));
  if (password === null) {
    console.error(`komnata: ${t("needPassword")}`);
    process.exit(2);
  }
  const signedIn = apiToken ? await api.me(apiToken) : await api.signIn(values.user as string, password);
  if (!signedIn.ok) {
    console.error(`komnata: ${problemText(say, signedIn, "signIn")}`);
    process.exit(1);
  }

  // Tab completes commands and the ids of files printed so far (the session exists by then)
  let completing: Session | null = null;
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
    completer: (line: string) => (completing ? complete(completing, line) : [[], line]),
  });
  const output: Output = {
    // one line, without breaking the one being typed
    print(line) {
      if (interactive) {
        readline.clearLine(process.stdout, 0);
        readline.cursorTo(process.stdout, 0);
        process.stdout.write(`${line}\n`);
        rl.prompt(true);
      } else process.stdout.write(`${line}\n`);
    },
    setPrompt(prompt) {
      rl.setPrompt(prompt);
      if (interactive) rl.prompt(true);
    },
  };
  const username = signedIn.username;
  const socket = api.connect(signedIn.token);
  // `npm run client` runs in the project folder; paths are meant from where it was typed
  const session = new Session(socket, api, signedIn.token, username, output, process.env.INIT_CWD ?? process.cwd(), locale);
  completing = session;

  let everConnected = false;
  socket.on("connect", () => {
    if (!everConnected) {
      everConnected = true;
      session.notice(t("connected", { url: api.base, username }));
      void session.printLobby().catch((e: Error) => session.notice(e.message));
      return;
    }
    session.notice(t("reconnected"));
    void session.resume().catch((e: Error) => session.notice(e.message));
  });
  socket.on("disconnect", (reason) => {
    if (reason === "io client disconnect") return;
    session.notice(t("connectionLost"));
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === "unauthorized") {
      console.error(`komnata: ${t("refused")}`);
      process.exit(1);
    }
  });
  socket.on("message:new", (m) => {
    if (m.roomId === session.current?.id) session.show(m, true);
    else {
      const room = session.roomName(m.roomId);
      const { username } = m.author;
      if (session.calls(m)) {
        session.callingNotice(room ? t("mentionedIn", { room, username }) : t("mentionedSomewhere", { username }));
      } else {
        session.notice(room ? t("newMessageIn", { room, username }) : t("newMessageSomewhere", { username }));
      }
    }
  });
  socket.on("dm:new", (m) => session.showDirect(m));
  socket.on("message:updated", (m) => {
    if (m.roomId === session.current?.id) session.showChange(m);
  });
  socket.on("file:removed", (e) => {
    const room = "roomId" in e ? session.roomName(e.roomId) : undefined;
    session.notice(room ? t("fileRemovedIn", { room, id: e.fileId }) : t("fileRemovedElsewhere", { id: e.fileId }));
  });
  socket.on("room:created", (room) => session.notice(t("roomCreated", { room: room.name })));
  // taken out of a room by someone else: said at once, and it is no longer the current one
  socket.on("room:removed", ({ roomId, reason }) => {
    session.callingNotice(t(`removed.${reason}`, { room: session.roomName(roomId) ?? "?" }));
    if (session.current?.id === roomId) session.leftCurrent();
  });
  socket.on("room:updated", (room) => session.roomUpdated(room));
  socket.on("room:invited", (i) => session.callingNotice(t("invitedYou", { username: i.invitedBy.username, room: i.room.name })));

  session.setPrompt();
  // Lines are handled one at a time, in order, so a script's commands run as written.
  let lines = Promise.resolve(true);
  let quitting = false;
  async function quit(): Promise<void> {
    if (quitting) return;
    quitting = true;
    await lines;
    // a piped script ends with its input: let its last sends be acknowledged first
    const deadline = Date.now() + 10_000;
    while (session.pendingSends > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    socket.disconnect();
    rl.close();
    process.exit(0);
  }
  rl.on("line", (line) => {
    lines = lines.then(async (keepGoing) => {
      if (!keepGoing) return false;
      if (!everConnected) await new Promise<void>((r) => socket.once("connect", () => r()));
      const more = await runLine(session, line);
      if (!more) void quit();
      return more;
    });
  });
  rl.on("close", () => void quit());
}

await main();
