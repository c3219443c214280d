// Running a node as a process: start it, listen, and stop it cleanly on SIGTERM or SIGINT
// (accepted sends are written and acknowledged, then the process exits 0). server/index.ts runs
// it with the pages; the fault tests run it without them, in a child process they can kill.
import { createKomnata, type KomnataOptions } from "./app.ts";
import type { Config } from "./env.ts";
import type { Logger } from "./log.ts";

export async function runNode(config: Config, options: KomnataOptions & { logger: Logger }): Promise<void> {
  const { logger: log } = options;
  try {
    const komnata = await createKomnata(config, options);
    const port = await komnata.listen(config.port, config.host);
    log.info(
      { port, dev: options.dev ?? false, database: komnata.database.provider },
      `Komnata is ready on http://localhost:${port}`,
    );

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
}
