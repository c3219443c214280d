"use client";

import { useProfile } from "./profiles";

function hue(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

const AVATAR_SIZES = {
  md: "h-9 w-9 rounded-lg text-xs",
  sm: "h-6 w-6 rounded-md text-[0.6rem]",
  lg: "h-20 w-20 rounded-2xl text-2xl",
};

/**
 * Someone's picture, or their initials on a colour of their own when they have none. `person`
 * false: a room or a search, not someone (no picture to look for).
 */
export function Avatar({
  id,
  name,
  size = "md",
  person = true,
}: {
  id: string;
  name: string;
  size?: keyof typeof AVATAR_SIZES;
  person?: boolean;
}) {
  const profile = useProfile(person ? id : null);
  const box = `grid shrink-0 place-items-center font-semibold text-white ${AVATAR_SIZES[size]}`;
  if (profile?.avatarUrl) {
    // biome-ignore lint/performance/noImgElement: a signed-in-only picture from our own API, already small
    return <img src={profile.avatarUrl} alt="" className={`${box} object-cover`} />;
  }
  return (
    <span
      aria-hidden="true"
      className={box}
      // one lightness for every hue (OKLCH): white initials stay readable (over 4.5:1) on all of them
      style={{ backgroundColor: `oklch(0.52 0.13 ${hue(id)})` }}
    >
      {name.slice(0, 2).toUpperCase()}
    </span>
  );
}
