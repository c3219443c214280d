// This browser's Web Push subscription (docs/protocol.md, "Push"): made with the server's VAPID
// key and kept on the server, or forgotten there and here (turned off, or signing out).

function bytesOf(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
  return navigator.serviceWorker.ready;
}

/** Whether this browser is subscribed now. */
export async function pushedHere(): Promise<boolean> {
  return Boolean(await (await registration())?.pushManager.getSubscription());
}

/** Subscribes this browser and tells the server; throws (with the browser's reason) when it cannot. */
export async function subscribeHere(): Promise<void> {
  const reg = await registration();
  if (!reg) throw new Error("unsupported");
  const { publicKey } = (await (await fetch("/api/push/key")).json()) as { publicKey: string };
  const subscription =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytesOf(publicKey) }));
  const res = await fetch("/api/push/subscriptions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(subscription.toJSON()),
  });
  if (!res.ok) throw new Error(`server ${res.status}`);
}

/** Forgets this browser's subscription, on the server and here (nothing to do when there is none). */
export async function unsubscribeHere(): Promise<void> {
  const subscription = await (await registration())?.pushManager.getSubscription();
  if (!subscription) return;
  await fetch("/api/push/subscriptions", {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => undefined);
}
