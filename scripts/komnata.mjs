#!/usr/bin/env node
// `komnata`: the terminal client (scripts/komnata-client.ts), run through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("./komnata-client.ts");
