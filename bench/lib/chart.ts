// A small SVG chart of the headline figures: Komnata beside the reference, per metric.
export interface ChartRow {
  label: string;
  unit: string;
  komnata: number;
  reference: number;
  /** true when a larger value is better (throughput), false for costs (latency, memory). */
  higherIsBetter: boolean;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function format(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 100) return String(Math.round(value));
  return value.toFixed(value >= 10 ? 1 : 2);
}

export function renderChart(title: string, subtitle: string, rows: ChartRow[]): string {
  const width = 760;
  const rowHeight = 64;
  const left = 250;
  const barMax = width - left - 110;
  const top = 70;
  const height = top + rows.length * rowHeight + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="30" font-size="18" font-weight="600" fill="#0f172a">${escapeXml(title)}</text>`,
    `<text x="20" y="52" font-size="12" fill="#475569">${escapeXml(subtitle)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const max = Math.max(row.komnata, row.reference, 1e-9);
    const ratio = row.komnata / row.reference;
    parts.push(
      `<text x="20" y="${y + 18}" font-size="13" font-weight="600" fill="#0f172a">${escapeXml(row.label)}</text>`,
      `<text x="20" y="${y + 36}" font-size="11" fill="#64748b">${escapeXml(row.unit)} · ${row.higherIsBetter ? "higher" : "lower"} is better</text>`,
      `<text x="20" y="${y + 52}" font-size="11" fill="#64748b">Komnata / reference = ${Number.isFinite(ratio) ? ratio.toFixed(2) : "n/a"}x</text>`,
    );
    for (const [j, [name, value, color]] of (
      [
        ["Komnata", row.komnata, "#3d55d6"],
        ["raw ws", row.reference, "#94a3b8"],
      ] as const
    ).entries()) {
      const w = Number.isFinite(value) ? Math.max(2, (value / max) * barMax) : 0;
      const by = y + 6 + j * 24;
      parts.push(
        `<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="18" rx="3" fill="${color}"/>`,
        `<text x="${left + w + 6}" y="${by + 13}" font-size="12" fill="#0f172a">${escapeXml(format(value))} <tspan fill="#64748b">${name}</tspan></text>`,
      );
    }
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
