export class Delays {
  static BUCKET_MS: number;
  count: number;
  max: number;
  add(ms: number): void;
  quantile(p: number): number;
}
