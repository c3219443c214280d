"use client";

// A secret the server gives once (an API token, a webhook's URL or signing secret): what it is,
// the value to select, and Copy. Nobody can see it again, so it stays until the view changes.
import { useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { Button } from "./button";

export function ShownOnce({
  message,
  value,
  testId,
  copyLabel,
  copiedLabel,
}: {
  message: string;
  value: string;
  testId: string;
  copyLabel: string;
  copiedLabel: string;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div
      role="status"
      className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3 dark:border-emerald-800 dark:bg-emerald-950"
    >
      <p className="text-sm">{message}</p>
      <code data-testid={testId} className="block break-all rounded bg-white p-2 text-xs dark:bg-slate-900" translate="no">
        {value}
      </code>
      <Button size="xs" variant="secondary" onClick={() => void copy(value).then((done) => setCopied(done ? value : null))}>
        {copied === value ? copiedLabel : copyLabel}
      </Button>
    </div>
  );
}
