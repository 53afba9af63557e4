// One benchmark figure: what was measured, its value and unit, and the target it is held to.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}
