// Slack's incoming-webhook payloads as Komnata messages, so that tools which can notify Slack
// (CI systems, monitoring, alert managers) post here unchanged. Slack's "mrkdwn" becomes our
// Markdown: `<url|label>` links, `*bold*`, `~strike~`, `<!here>`; `attachments` and `blocks`
// are reduced to readable text. Code spans and blocks are left as they are.
import { MAX_BODY_CHARS, type Via } from "../../protocol/index.ts";

export interface HookMessage {
  body: string;
  /** set when the payload asked for its own name or picture */
  via?: Via;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Slack's escapes, undone last: `&lt;` in the text is a literal "<", never the start of a link. */
const unescapeSlack = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** One piece of mrkdwn outside code: links and mentions in angle brackets, then emphasis. */
function convertProse(s: string): string {
  return (
    s
      .replace(/<([^<>|\n]+)(?:\|([^<>\n]+))?>/g, (_whole, target: string, label: string | undefined) => {
        if (target === "!here") return "@here";
        if (target === "!channel" || target === "!everyone") return "@room";
        if (target.startsWith("!")) return label ?? "";
        if (target.startsWith("@") || target.startsWith("#")) return label ? `${target[0]}${label}` : target;
        const url = unescapeSlack(target);
        const safe = /^(https?:|mailto:)/i.test(url);
        if (!safe) return unescapeSlack(label ?? target);
        return label ? `[${unescapeSlack(label).replace(/[[\]]/g, "\\$&")}](${url.replace(/[()]/g, encodeURIComponent)})` : url;
      })
      // *bold* (Slack) is **bold** (Markdown); _italic_ reads the same in both
      .replace(/(^|[\s(>])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s.,;:!?)])/gm, "$1**$2**")
      .replace(/(^|[\s(>])~(?=\S)([^~\n]*?\S)~(?=$|[\s.,;:!?)])/gm, "$1~~$2~~")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
  );
}

/** Slack mrkdwn as Markdown; what lies in ``` blocks and `spans` is only unescaped. */
export function mrkdwnToMarkdown(source: string): string {
  return source
    .split(/(```[\s\S]*?```|`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? unescapeSlack(part) : convertProse(part)))
    .join("");
}

/** A block's or attachment's text object ({ type, text }) or plain string. */
function textOf(v: unknown): string {
  if (isObject(v)) return v.type === "plain_text" ? text(v.text).replace(/[*_~`]/g, "\\$&") : mrkdwnToMarkdown(text(v.text));
  return mrkdwnToMarkdown(text(v));
}

/** Rich text (blocks of type rich_text), as its plain words with links. */
function richText(elements: unknown): string {
  if (!Array.isArray(elements)) return "";
  return elements
    .map((e) => {
      if (!isObject(e)) return "";
      if (Array.isArray(e.elements)) {
        const inner = richText(e.elements);
        return e.type === "rich_text_preformatted"
          ? `\`\`\`\n${inner}\n\`\`\``
          : e.type === "rich_text_quote"
            ? `> ${inner}`
            : inner;
      }
      if (e.type === "link") return e.text ? `[${text(e.text)}](${text(e.url)})` : text(e.url);
      if (e.type === "user") return `@${text(e.user_id)}`;
      if (e.type === "emoji") return `:${text(e.name)}:`;
      return text(e.text);
    })
    .join("");
}

/** Slack's blocks reduced to text: headers bold, sections and their fields, context lines, images as links. */
export function blocksToText(blocks: unknown): string {
  if (!Array.isArray(blocks)) return "";
  const lines: string[] = [];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    switch (block.type) {
      case "header":
        lines.push(`**${textOf(block.text).replace(/\\([*_~`])/g, "$1")}**`);
        break;
      case "section": {
        const main = textOf(block.text);
        if (main) lines.push(main);
        if (Array.isArray(block.fields)) lines.push(block.fields.map(textOf).filter(Boolean).join("\n"));
        break;
      }
      case "context":
        if (Array.isArray(block.elements)) {
          lines.push(
            block.elements
              .map((e) => (isObject(e) && e.type === "image" ? text(e.alt_text) : textOf(e)))
              .filter(Boolean)
              .join(" · "),
          );
        }
        break;
      case "image": {
        const url = text(block.image_url);
        if (/^https?:/i.test(url)) lines.push(`[${text(block.alt_text) || "image"}](${url})`);
        break;
      }
      case "rich_text":
        lines.push(richText(block.elements));
        break;
      case "divider":
        lines.push("---");
        break;
      // actions, inputs: buttons and fields a chat cannot offer here
    }
  }
  return lines.filter((l) => l.trim() !== "").join("\n\n");
}

/** Slack's legacy attachments as text: pretext, author, title (linked), text, fields, footer; fallback when none. */
export function attachmentsToText(attachments: unknown): string {
  if (!Array.isArray(attachments)) return "";
  return attachments
    .filter(isObject)
    .map((a) => {
      const lines: string[] = [];
      if (a.pretext) lines.push(mrkdwnToMarkdown(text(a.pretext)));
      if (a.author_name) lines.push(`*${text(a.author_name)}*`);
      const title = text(a.title);
      const link = text(a.title_link);
      if (title) lines.push(/^https?:/i.test(link) ? `**[${title}](${link})**` : `**${title}**`);
      if (a.text) lines.push(mrkdwnToMarkdown(text(a.text)));
      if (Array.isArray(a.fields)) {
        for (const f of a.fields.filter(isObject)) {
          lines.push(f.title ? `**${text(f.title)}**: ${mrkdwnToMarkdown(text(f.value))}` : mrkdwnToMarkdown(text(f.value)));
        }
      }
      const blocks = blocksToText(a.blocks);
      if (blocks) lines.push(blocks);
      if (a.footer) lines.push(`_${text(a.footer)}_`);
      if (lines.length === 0 && a.fallback) lines.push(text(a.fallback));
      return lines.join("\n");
    })
    .filter(Boolean)
    .join("\n\n");
}

/**
 * A payload posted to an incoming webhook as a message, or null when it says nothing. `text`
 * comes first (Slack shows it above the blocks too, and uses it as their fallback); without it,
 * the blocks, then the attachments.
 */
export function hookMessage(payload: unknown): HookMessage | null {
  if (!isObject(payload)) return null;
  const parts = [
    mrkdwnToMarkdown(text(payload.text)),
    payload.text ? "" : blocksToText(payload.blocks),
    attachmentsToText(payload.attachments),
  ].filter((p) => p.trim() !== "");
  let body = parts.join("\n\n").trim();
  if (body === "") return null;
  if (body.length > MAX_BODY_CHARS) body = `${body.slice(0, MAX_BODY_CHARS - 1)}…`;
  const name = text(payload.username).trim().slice(0, 64);
  const icon = text(payload.icon_url).trim();
  const iconUrl = /^https?:\/\//i.test(icon) && icon.length <= 2048 ? icon : null;
  return name || iconUrl ? { body, via: { name, iconUrl } } : { body };
}
