"use client";

// A message's text as Markdown, the way people type it in chat (docs/decisions/012): bold,
// italic, strikethrough, code, quotes, lists, tables, and links. Nothing a sender types can run
// or fetch anything: raw HTML is shown as the text it is, only http(s) and mailto links (and our
// own paths) become links, and images become links to them. What is stored stays as typed.
import { memo, useMemo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { splitMentions } from "@/server/protocol/mentions";
import { highlightRanges } from "@/server/protocol/search";
import { CodeBlock } from "./code-block";

/** A link target that is safe to follow, or "" (then the text is shown without a link). */
export function safeHref(url: string): string {
  const trimmed = url.trim();
  // our own pages (a message link), but not "//host", which leaves the site
  if (trimmed.startsWith("/") && !trimmed.startsWith("//")) return trimmed;
  try {
    const { protocol } = new URL(trimmed);
    return protocol === "http:" || protocol === "https:" || protocol === "mailto:" ? trimmed : "";
  } catch {
    return "";
  }
}

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: Record<string, unknown>;
}

/**
 * Raw HTML in a message is text like any other: `<b>` shows as typed, never as markup (a block of
 * it as a paragraph of text).
 */
function htmlAsText() {
  const visit = (node: MdNode, parent?: MdNode) => {
    if (node.type === "html") {
      const text = { type: "text", value: node.value };
      if (parent && BLOCK_PARENTS.has(parent.type)) {
        node.type = "paragraph";
        node.children = [text];
        delete node.value;
      } else node.type = "text";
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  return (tree: MdNode) => visit(tree);
}
const BLOCK_PARENTS = new Set(["root", "blockquote", "listItem"]);

/** A link if its target is safe (outside links open in a new tab, telling the target nothing), else just its text. */
function SafeLink({ href, children }: { href?: string; children?: React.ReactNode }) {
  const safe = href ? safeHref(href) : "";
  if (!safe) return <span>{children}</span>;
  const outside = !safe.startsWith("/");
  return (
    <a
      href={safe}
      className="text-brand-600 underline decoration-brand-600/40 hover:decoration-brand-600 dark:text-brand-100"
      {...(outside ? { target: "_blank", rel: "noopener noreferrer nofollow" } : {})}
    >
      {children}
    </a>
  );
}

const components: Components = {
  a: ({ href, children }) => <SafeLink href={href}>{children}</SafeLink>,
  // an image is not fetched: it becomes a link to where it is, named by its alt text
  img: ({ src, alt }) => {
    const href = typeof src === "string" ? src : undefined;
    return <SafeLink href={href}>{alt || href}</SafeLink>;
  },
  // chat has no document outline: a heading is a bold line
  h1: ({ children }) => <p className="font-bold">{children}</p>,
  h2: ({ children }) => <p className="font-bold">{children}</p>,
  h3: ({ children }) => <p className="font-bold">{children}</p>,
  h4: ({ children }) => <p className="font-semibold">{children}</p>,
  h5: ({ children }) => <p className="font-semibold">{children}</p>,
  h6: ({ children }) => <p className="font-semibold">{children}</p>,
  pre: ({ node }) => {
    const code = node?.children[0];
    const className = code && "properties" in code ? code.properties.className : undefined;
    const language = Array.isArray(className)
      ? String(className.find((c) => String(c).startsWith("language-")) ?? "").slice("language-".length)
      : "";
    const text = code && "children" in code ? code.children.map((c) => ("value" in c ? c.value : "")).join("") : "";
    return <CodeBlock code={text.replace(/\n$/, "")} language={language} />;
  },
};

const remarkPlugins = [remarkGfm, remarkBreaks, htmlAsText];

/** Who a message mentions, as the reader sees it: the names it resolved, and which of them are the reader. */
export interface ShownMentions {
  names: string[];
  room: boolean;
  here: boolean;
  /** the reader's own name, lower case */
  me: string;
}

const MENTION_CLASS = "mention rounded px-0.5 font-medium bg-brand-50 text-brand-800 dark:bg-brand-500/20 dark:text-brand-100";
const MY_MENTION_CLASS =
  "mention mention-me rounded px-0.5 font-semibold bg-amber-200 text-amber-950 dark:bg-amber-400/30 dark:text-amber-50";

/**
 * Marks the message's mentions in its text (never in code: code is its own node), the reader's
 * own (by name, @room, @here) more strongly.
 */
function markMentions(shown: ShownMentions) {
  const names = new Set(shown.names);
  const known = (name: string) => names.has(name);
  const visit = (node: MdNode) => {
    if (!node.children) return;
    node.children = node.children.flatMap((child): MdNode[] => {
      if (child.type !== "text" || !child.value?.includes("@")) {
        visit(child);
        return [child];
      }
      return splitMentions(child.value, known).flatMap((piece): MdNode[] => {
        if ("text" in piece) return [{ type: "text", value: piece.text }];
        const group = piece.name === "room" || piece.name === "here";
        if (group && !shown[piece.name as "room" | "here"]) return [{ type: "text", value: piece.mention }];
        const mine = group || piece.name === shown.me;
        return [
          {
            type: "mention",
            data: { hName: "span", hProperties: { className: mine ? MY_MENTION_CLASS : MENTION_CLASS } },
            children: [{ type: "text", value: piece.mention }],
          } as MdNode,
        ];
      });
    });
  };
  return () => (tree: MdNode) => visit(tree);
}

const MATCH_CLASS = "search-match rounded-sm bg-amber-200 px-0.5 text-slate-950 dark:bg-amber-400/30 dark:text-amber-50";

/** Marks where a search's terms matched (a message opened from a search result), in text, not in code. */
function markTerms(terms: string[]) {
  const visit = (node: MdNode) => {
    if (!node.children) return;
    node.children = node.children.flatMap((child): MdNode[] => {
      if (child.type !== "text" || !child.value) {
        visit(child);
        return [child];
      }
      const text = child.value;
      const ranges = highlightRanges(text, terms);
      if (ranges.length === 0) return [child];
      const pieces: MdNode[] = [];
      let at = 0;
      for (const [start, end] of ranges) {
        if (start > at) pieces.push({ type: "text", value: text.slice(at, start) });
        pieces.push({
          type: "searchMatch",
          data: { hName: "mark", hProperties: { className: MATCH_CLASS } },
          children: [{ type: "text", value: text.slice(start, end) }],
        });
        at = end;
      }
      if (at < text.length) pieces.push({ type: "text", value: text.slice(at) });
      return pieces;
    });
  };
  return () => (tree: MdNode) => visit(tree);
}

/**
 * The body of a message, rendered (memoized: a thread re-renders often, a body rarely changes),
 * with "edited" after its last line when it was.
 */
export const MessageBody = memo(function MessageBody({
  body,
  mentions,
  terms,
  editedLabel,
  editedTitle,
}: {
  body: string;
  /** who it mentions, to mark them (rooms) */
  mentions?: ShownMentions;
  /** a search's terms, to mark where they matched (the message a search result opened) */
  terms?: string[];
  editedLabel?: string;
  editedTitle?: string;
}) {
  const marked = mentions && (mentions.names.length > 0 || mentions.room || mentions.here);
  // biome-ignore lint/correctness/useExhaustiveDependencies: by value: a new object with the same mentions keeps the plugins
  const plugins = useMemo(
    () => [
      ...remarkPlugins,
      ...(marked ? [markMentions(mentions)] : []),
      ...(terms && terms.length > 0 ? [markTerms(terms)] : []),
    ],
    [marked, mentions?.names.join(" "), mentions?.room, mentions?.here, mentions?.me, terms?.join("\n")],
  );
  return (
    <div className="message-md break-words text-[15px] leading-relaxed">
      <div translate="no" className="contents">
        <Markdown remarkPlugins={plugins} components={components} urlTransform={safeHref}>
          {body}
        </Markdown>
      </div>
      {editedLabel && (
        <span className="edited-mark ml-1.5 text-xs text-slate-500 dark:text-slate-400" title={editedTitle}>
          {editedLabel}
        </span>
      )}
    </div>
  );
});
