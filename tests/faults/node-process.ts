// A Komnata node without the pages, as its own process, for the fault tests to kill: the same
// start and shutdown code as `npm start` (server/run.ts). Configured through the environment.
import { loadConfig } from "../../server/env.ts";
import { createLogger } from "../../server/log.ts";
import { runNode } from "../../server/run.ts";

process.umask(0o077);
const config = loadConfig();
await runNode(config, { withNext: false, logger: createLogger(config.logLevel) });
