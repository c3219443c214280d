// The one process: Next.js pages, the HTTP API and Socket.IO on one port.

import { createKomnata } from "./app.ts";
import { loadConfig } from "./env.ts";
import { createLogger } from "./log.ts";

// what the server creates (the database, shared files, the secret) is for its own user only
process.umask(0o077);
const config = loadConfig();
const log = createLogger(config.logLevel);
const dev = config.nodeEnv !== "production";

try {
  const komnata = await createKomnata(config, { withNext: true, dev, logger: log });
  const port = await komnata.listen(config.port, config.host);
  log.info({ port, dev, database: komnata.database.provider }, `Komnata is ready on http://localhost:${port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: draining the queue and closing connections");
    const force = setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await komnata.close();
      log.info("stopped cleanly");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "error while shutting down");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  log.fatal({ err: error }, "Komnata could not start");
  process.exit(1);
}
