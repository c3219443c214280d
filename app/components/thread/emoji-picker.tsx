"use client";

// The full emoji picker (frimousse, with Emojibase's data in the page's language, served by our
// own server: server/http/emoji.ts). Loaded only when someone opens it.
import { EmojiPicker, type EmojiPickerListProps, type Locale } from "frimousse";
import { useLocale, useTranslations } from "next-intl";

/** How the list looks: frimousse is unstyled. */
const LIST: EmojiPickerListProps["components"] = {
  CategoryHeader: ({ category, ...props }) => (
    <div {...props} className="bg-white px-2 pt-2 pb-1 text-xs font-medium text-slate-500 dark:bg-slate-900 dark:text-slate-400">
      {category.label}
    </div>
  ),
  Row: ({ children, ...props }) => (
    <div {...props} className="scroll-my-1 px-1">
      {children}
    </div>
  ),
  Emoji: ({ emoji, ...props }) => (
    <button
      {...props}
      type="button"
      aria-label={emoji.label}
      className="flex size-8 items-center justify-center rounded-md text-xl data-[active]:bg-slate-200 dark:data-[active]:bg-slate-700"
    >
      {emoji.emoji}
    </button>
  ),
};

export default function FullEmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const t = useTranslations("thread");
  const locale = useLocale() as Locale;
  return (
    <EmojiPicker.Root
      locale={locale}
      emojibaseUrl="/api/emoji"
      columns={8}
      onEmojiSelect={({ emoji }) => onPick(emoji)}
      className="flex h-72 w-full flex-col"
    >
      <EmojiPicker.Search
        autoFocus
        placeholder={t("searchEmoji")}
        aria-label={t("searchEmoji")}
        className="mx-2 mt-2 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      <EmojiPicker.Viewport className="relative mt-1 flex-1 outline-none">
        <EmojiPicker.Loading className="absolute inset-0 grid place-items-center text-sm text-slate-500">
          {t("loadingEmoji")}
        </EmojiPicker.Loading>
        <EmojiPicker.Empty className="absolute inset-0 grid place-items-center text-sm text-slate-500">
          {t("noEmoji")}
        </EmojiPicker.Empty>
        <EmojiPicker.List className="select-none pb-1" components={LIST} />
      </EmojiPicker.Viewport>
    </EmojiPicker.Root>
  );
}
