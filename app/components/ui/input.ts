/**
 * The look of a text input, shared by every form. 16 px text on phones, so that focusing a field
 * does not zoom the page in mobile Safari.
 */
export const inputClass =
  "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";
