// A free loopback port, for tests that start servers of their own (no test runner imported here:
// the Vitest fault tests and the Playwright deploy tests both use it).
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";

/** A port nothing listens on now (the kernel's pick). */
export async function takePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
