"use client";

// A fenced code block: monospace, scrolling rather than stretching the thread, with a copy
// button; highlighted once the highlighter (loaded only when a code block is shown) is here.
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useState } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { copy } from "@/app/lib/clipboard";

type Root = Parameters<typeof toJsxRuntime>[0];
interface Highlighter {
  highlight(language: string, code: string): Root;
  highlightAuto(code: string): Root;
  registered(language: string): boolean;
}

let loading: Promise<Highlighter> | null = null;
/** highlight.js's common languages (lowlight), loaded on first use */
const highlighter = () => {
  loading ??= import("lowlight").then(({ common, createLowlight }) => createLowlight(common));
  return loading;
};

/** Code longer than this is shown plain: highlighting it would cost more than it helps. */
const MAX_HIGHLIGHT_CHARS = 20_000;

export function CodeBlock({ code, language }: { code: string; language: string }) {
  const t = useTranslations("thread");
  const [highlighted, setHighlighted] = useState<ReactNode>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (code.length > MAX_HIGHLIGHT_CHARS) return;
    let live = true;
    highlighter()
      .then((lowlight) => {
        const tree =
          language && lowlight.registered(language) ? lowlight.highlight(language, code) : lowlight.highlightAuto(code);
        // no language recognised: highlightAuto gives nothing back, and the code stays plain
        if (live && "children" in tree && tree.children.length > 0) setHighlighted(toJsxRuntime(tree, { Fragment, jsx, jsxs }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [code, language]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <div className="group/code relative my-1">
      <pre className="max-h-96 overflow-auto rounded-lg border border-slate-200 bg-slate-100 p-3 pr-16 text-[13px] leading-snug dark:border-slate-800 dark:bg-slate-900">
        <code className="hljs font-mono">{highlighted ?? code}</code>
      </pre>
      <button
        type="button"
        onClick={() => {
          void copy(code).then(setCopied);
        }}
        className="absolute top-1.5 right-1.5 rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-600 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300 dark:hover:bg-slate-700"
      >
        {copied ? t("copied") : t("copy")}
      </button>
    </div>
  );
}
