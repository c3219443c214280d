// Text with the parts a search matched marked (the server says where: SearchResult.highlights).

export { snippet } from "@/server/protocol/search";

export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at || e > text.length) continue;
    parts.push(text.slice(at, s));
    parts.push(
      <mark key={s} className="rounded-sm bg-amber-200 px-0.5 text-slate-950 dark:bg-amber-400/30 dark:text-amber-50">
        {text.slice(s, e)}
      </mark>,
    );
    at = e;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
