"use client";

// A picture over the page: fitted to the screen, or larger (the zoom buttons, + and -, a click on
// the picture), the previous and next picture of the room or conversation (the arrow buttons and
// keys), and its download. What is shown is the preview made on the server (a WebP it re-encoded,
// never the uploaded bytes); the thumbnail stands in while it loads.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { fileUrl } from "@/app/lib/file-url";
import type { WireFile } from "@/server/protocol";
import { buttonClass } from "../ui/button";
import { Dialog } from "../ui/dialog";

/** How large a picture is shown: fitted to the screen, or a factor of its preview's pixels. */
const ZOOMS = [0.5, 1, 2, 4] as const;

const barButton = "grid h-9 min-w-9 place-items-center rounded-lg px-2 text-sm text-white hover:bg-white/15 disabled:opacity-40";

export function PictureViewer({
  pictures,
  start,
  onClose,
}: {
  /** the thread's pictures, oldest first */
  pictures: WireFile[];
  /** the id of the one to show first */
  start: string;
  onClose(): void;
}) {
  const t = useTranslations("viewer");
  const [at, setAt] = useState(() =>
    Math.max(
      0,
      pictures.findIndex((p) => p.id === start),
    ),
  );
  /** null: fitted to the screen */
  const [zoom, setZoom] = useState<number | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const picture = pictures[Math.min(at, pictures.length - 1)];

  const go = (step: number) => {
    const next = at + step;
    if (next < 0 || next >= pictures.length) return;
    setAt(next);
    setZoom(null);
  };
  // from fitted, a step that would hardly change the size (within a fifth) is skipped
  const zoomIn = () =>
    setZoom((z) => ZOOMS.find((f) => (z === null ? f > fittedScale() * 1.2 : f > z)) ?? ZOOMS[ZOOMS.length - 1]);
  const zoomOut = () => setZoom((z) => (z === null ? null : ([...ZOOMS].reverse().find((f) => f < z) ?? null)));
  /** the factor the fitted picture is shown at, so that zooming in always makes it larger */
  function fittedScale(): number {
    const box = stage.current?.getBoundingClientRect();
    if (!box || !natural) return 1;
    return Math.min(1, box.width / natural.width, box.height / natural.height);
  }

  // a picture removed by its uploader, or gone from the thread: nothing left to show
  useEffect(() => {
    if (!picture) onClose();
  }, [picture, onClose]);
  if (!picture) return null;
  const preview = `${fileUrl(picture.id)}/preview`;
  const ready = loaded === picture.id;

  return (
    <Dialog
      label={t("label", { name: picture.name })}
      onClose={onClose}
      full
      onKey={(e) => {
        if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
          e.preventDefault();
          go(e.key === "ArrowLeft" ? -1 : 1);
        } else if (e.key === "+" || e.key === "=") zoomIn();
        else if (e.key === "-") zoomOut();
        else if (e.key === "0") setZoom(null);
      }}
    >
      <div className="flex h-full flex-col">
        <div className="flex items-center gap-2 px-3 py-2">
          <p className="min-w-0 flex-1 truncate text-sm">
            <span translate="no" className="font-medium">
              {picture.name}
            </span>
            {pictures.length > 1 && (
              <span className="ml-2 text-slate-300">{t("position", { at: at + 1, count: pictures.length })}</span>
            )}
          </p>
          <button type="button" className={barButton} onClick={zoomOut} disabled={zoom === null} aria-label={t("zoomOut")}>
            −
          </button>
          <button
            type="button"
            className={`${barButton} w-16 tabular-nums`}
            onClick={() => setZoom(null)}
            aria-label={t("fit")}
            title={t("fit")}
          >
            {zoom === null ? t("fitted") : `${Math.round(zoom * 100)}%`}
          </button>
          <button
            type="button"
            className={barButton}
            onClick={zoomIn}
            disabled={zoom === ZOOMS[ZOOMS.length - 1]}
            aria-label={t("zoomIn")}
          >
            +
          </button>
          <a
            href={fileUrl(picture.id)}
            download={picture.name}
            className={buttonClass("primary", "sm", "ml-2")}
            aria-label={t("download", { name: picture.name })}
          >
            {t("downloadShort")}
          </a>
          <button type="button" className={`${barButton} ml-1 text-xl`} onClick={onClose} aria-label={t("close")}>
            ×
          </button>
        </div>
        <div className="relative min-h-0 flex-1">
          <div ref={stage} data-testid="viewer-stage" className={`h-full w-full overflow-auto ${zoom === null ? "" : "grid"}`}>
            {/* biome-ignore lint/a11y/useKeyWithClickEvents: the zoom buttons and + / - keys do the same */}
            {/* biome-ignore lint/performance/noImgElement: a member-only preview from our own API */}
            <img
              key={picture.id}
              src={preview}
              alt={picture.name}
              onLoad={(e) => {
                setLoaded(picture.id);
                setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight });
              }}
              onClick={() => setZoom((z) => (z === null ? 1 : null))}
              style={
                zoom === null
                  ? { backgroundImage: ready ? undefined : `url(${fileUrl(picture.id)}/thumbnail)` }
                  : { width: natural ? natural.width * zoom : undefined, maxWidth: "none" }
              }
              // fitted: the whole stage, the picture scaled down into it (never up); zoomed: its own size, scrolling
              className={`bg-contain bg-center bg-no-repeat ${zoom === null ? "h-full w-full cursor-zoom-in object-scale-down" : "m-auto h-auto cursor-zoom-out"}`}
            />
          </div>
          {at > 0 && (
            <button
              type="button"
              onClick={() => go(-1)}
              aria-label={t("previous")}
              className="absolute top-1/2 left-3 grid h-11 w-11 -translate-y-1/2 place-items-center rounded-full bg-black/50 text-2xl text-white hover:bg-black/70"
            >
              ‹
            </button>
          )}
          {at < pictures.length - 1 && (
            <button
              type="button"
              onClick={() => go(1)}
              aria-label={t("next")}
              className="absolute top-1/2 right-3 grid h-11 w-11 -translate-y-1/2 place-items-center rounded-full bg-black/50 text-2xl text-white hover:bg-black/70"
            >
              ›
            </button>
          )}
          {!ready && (
            <p role="status" className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-black/60 px-3 py-1 text-xs">
              {t("loading")}
            </p>
          )}
        </div>
      </div>
    </Dialog>
  );
}
