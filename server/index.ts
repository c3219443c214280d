// The one process: Next.js pages, the HTTP API and Socket.IO on one port.
import { loadConfig } from "./env.ts";
import { createLogger } from "./log.ts";
import { runNode } from "./run.ts";

// what the server creates (the database, shared files, the secret) is for its own user only
process.umask(0o077);
const config = loadConfig();
await runNode(config, { withNext: true, dev: config.nodeEnv !== "production", logger: createLogger(config.logLevel) });
