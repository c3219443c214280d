import Link from "next/link";
import type { ComponentProps } from "react";

const VARIANTS = {
  /** the one main action of a form or a view */
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700",
  /** an outlined action beside others */
  secondary:
    "border border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800",
  /** a quiet action in a toolbar */
  ghost: "text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800",
  /** the way out of a failure (Retry) */
  danger: "border border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950",
} as const;

const SIZES = {
  xs: "rounded-md px-2 py-0.5 text-xs",
  sm: "rounded-md px-3 py-1 text-sm",
  md: "rounded-lg px-4 py-2 text-sm",
} as const;

export type ButtonVariant = keyof typeof VARIANTS;
export type ButtonSize = keyof typeof SIZES;

export function buttonClass(variant: ButtonVariant = "primary", size: ButtonSize = "md", extra = ""): string {
  return `inline-flex items-center justify-center gap-1.5 font-medium disabled:opacity-60 ${SIZES[size]} ${VARIANTS[variant]} ${extra}`;
}

type Look = { variant?: ButtonVariant; size?: ButtonSize };

export function Button({ variant, size, className = "", type = "button", ...props }: ComponentProps<"button"> & Look) {
  // the type is a prop: "button" unless a form's submit asks otherwise
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}

/** A link that looks like a button (to another view: Files, back to the room). */
export function LinkButton({ variant = "secondary", size = "sm", className = "", ...props }: ComponentProps<typeof Link> & Look) {
  return <Link className={buttonClass(variant, size, className)} {...props} />;
}
