import type { ReactNode } from "react";

/** A problem the reader must see, announced to screen readers as it appears. */
export function Alert({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <div
      role="alert"
      className={`rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200 ${className}`}
    >
      {children}
    </div>
  );
}
